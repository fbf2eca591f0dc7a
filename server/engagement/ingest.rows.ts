/**
 * The ingestion row formats: one schema per row type (zod), shared by the NDJSON/CSV importer and the batched
 * GraphQL mutations, and the normalised rows the ingest service writes. Pure: no database here.
 *
 * A row that fails is described by the path of the offending field inside the row (`likes`, `shares.US`,
 * `categories.2`) and a sentence for people (`likes must not be negative (got -3)`); callers prefix the path
 * (`input.rows.17.likes` in GraphQL) or print it with the file's line number (the importer's reject file).
 *
 * `post_metrics` is the bulk case (millions of rows): `readPostMetrics` checks the common, valid shape without
 * allocating and falls back to the zod schema for anything unusual, so both always agree on what is accepted.
 */
import { z } from "zod";

import {
  AUDIENCE_DIMENSIONS,
  CATEGORIES,
  PLATFORMS,
  POST_KINDS,
  type AudienceDimension,
  type Category,
  type Platform,
  type PostKind,
} from "../../schema/enums.js";
import { AUDIENCE_KEYS } from "../common/audience.js";

export const ROW_TYPES = ["influencer", "account", "audience", "account_snapshot", "post", "post_metrics", "conversion"] as const;
export type RowType = (typeof ROW_TYPES)[number];

/** The post_metrics counters, in the column order of `post_metric_snapshots`. */
export const METRIC_COUNTERS = ["likes", "comments", "shares", "saves", "views", "reach", "impressions"] as const;
export type MetricCounter = (typeof METRIC_COUNTERS)[number];
/** Counters a row must give; the others default to 0 (not reported by the platform). */
export const REQUIRED_METRIC_COUNTERS: readonly MetricCounter[] = ["likes", "comments"];

/** Limits of the row formats (the import documentation states them). */
export const LIMITS = {
  refLength: 200,
  nameLength: 200,
  bioLength: 5_000,
  handleLength: 100,
  externalIdLength: 200,
  captionLength: 10_000,
  hashtags: 100,
  hashtagLength: 100,
  urlLength: 2_048,
  audienceKeys: 300,
  /** Shares of one dimension may not add up to more than this (rounding in the source's percentages). */
  audienceShareSum: 1.001,
} as const;

/** Times must lie from this moment to one day after the import runs (clock skew): anything else is a unit mistake. */
export const EARLIEST_TIME = Date.UTC(2000, 0, 1);
export const FUTURE_TOLERANCE_MS = 86_400_000;

// ------------------------------------------------------------------------------------------------ normalised rows

export interface InfluencerRow {
  type: "influencer";
  ref: string;
  name: string;
  bio: string;
  country: string;
  language: string;
  categories: Category[];
}

export interface AccountRow {
  type: "account";
  /** The influencer's `ref`. */
  influencer: string;
  platform: Platform;
  handle: string;
  followers: number;
  following: number;
  posts: number;
  verified: boolean;
}

export interface AudienceRow {
  type: "audience";
  platform: Platform;
  handle: string;
  dimension: AudienceDimension;
  /** (key, share) pairs sorted by key. */
  shares: [string, number][];
}

export interface AccountSnapshotRow {
  type: "account_snapshot";
  platform: Platform;
  handle: string;
  /** Milliseconds since the epoch (UTC). */
  capturedAt: number;
  followers: number;
  following: number;
  posts: number;
}

export interface PostRow {
  type: "post";
  platform: Platform;
  handle: string;
  externalId: string;
  publishedAt: number;
  kind: PostKind;
  caption: string;
  hashtags: string[];
  url: string | null;
  campaignId: number | null;
}

export type PostMetricsRow = { type: "post_metrics"; platform: Platform; externalId: string; capturedAt: number } & Record<MetricCounter, number>;

export interface ConversionRow {
  type: "conversion";
  promoCode: string;
  at: number;
  orders: number;
  /** Integer minor units of `currency`. */
  revenue: number;
  currency: string;
}

export type IngestRow = InfluencerRow | AccountRow | AudienceRow | AccountSnapshotRow | PostRow | PostMetricsRow | ConversionRow;

/** Why a row was refused: the offending field's path inside the row ("" for the row as a whole) and a sentence. */
export interface RowProblem {
  field: string;
  reason: string;
}

export type RowResult<T = IngestRow> = { ok: true; row: T } | { ok: false; problems: RowProblem[] };

// ------------------------------------------------------------------------------------------------ times

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
};

function digits(s: string, at: number, n: number): number {
  let value = 0;
  for (let i = at; i < at + n; i++) {
    const d = digit(s, i);
    if (d < 0) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * Milliseconds since the epoch of an ISO 8601 date and time with a zone (`2026-11-01T09:30:00Z`,
 * `2026-11-01T10:30:00.250+01:00`), or null for anything else: a missing zone, an impossible date
 * (2026-02-30), hours past 23, offsets past ±14:00. Fractions of a second beyond milliseconds are truncated.
 * Accepts what the API's `DateTime` scalar accepts, without regular expressions or allocations.
 */
export function parseIsoDateTime(s: string): number | null {
  const n = s.length;
  if (n < 17 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58) return null;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return null;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)) return null;
  let i = 16;
  let second = 0;
  let ms = 0;
  if (s.charCodeAt(i) === 58) {
    second = digits(s, i + 1, 2);
    if (second < 0 || second > 59) return null;
    i += 3;
    if (s.charCodeAt(i) === 46) {
      i++;
      const start = i;
      while (i < n && digit(s, i) >= 0) i++;
      const count = i - start;
      if (count < 1 || count > 9) return null;
      ms = digits(s, start, Math.min(count, 3)) * (count === 1 ? 100 : count === 2 ? 10 : 1);
    }
  }
  let offsetMinutes = 0;
  const zone = s.charCodeAt(i);
  if (zone === 90 /* Z */) {
    if (i + 1 !== n) return null;
  } else if (zone === 43 /* + */ || zone === 45 /* - */) {
    if (i + 6 !== n || s.charCodeAt(i + 3) !== 58) return null;
    const oh = digits(s, i + 1, 2);
    const om = digits(s, i + 4, 2);
    if (oh < 0 || oh > 14 || om < 0 || om > 59) return null;
    offsetMinutes = (zone === 43 ? 1 : -1) * (oh * 60 + om);
  } else {
    return null;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
}

/** The latest time a row may carry: one day after now. */
export const latestTime = (now = Date.now()): number => now + FUTURE_TOLERANCE_MS;

const TIME_FORMAT = "an ISO 8601 date and time with a zone, e.g. 2026-11-01T09:30:00Z";

/** A time: an ISO 8601 string (files) or a Date (GraphQL's DateTime), within [2000-01-01, now + 1 day]. */
const time = z.unknown().transform((value, ctx) => {
  const ms = value instanceof Date ? value.getTime() : typeof value === "string" ? parseIsoDateTime(value) : null;
  if (ms === null || Number.isNaN(ms)) {
    ctx.addIssue({ code: "custom", message: value === undefined ? "is required" : `must be ${TIME_FORMAT}${got(value)}`, input: value });
    return z.NEVER;
  }
  if (ms < EARLIEST_TIME || ms > latestTime()) {
    ctx.addIssue({ code: "custom", message: `must be from 2000-01-01 to tomorrow (UTC)${got(value)}`, input: value });
    return z.NEVER;
  }
  return ms;
});

// ------------------------------------------------------------------------------------------------ field schemas

/** " (got -3)", with long or odd values cut short. */
function got(value: unknown): string {
  if (value === undefined) return "";
  if (value instanceof Date) return ` (got ${Number.isNaN(value.getTime()) ? "an invalid date" : value.toISOString()})`;
  let text: string;
  try {
    text = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return ` (got ${text.length > 60 ? `${text.slice(0, 57)}...` : text})`;
}

const count = z
  .number()
  .int("must be a whole number")
  .min(0, "must not be negative")
  .max(Number.MAX_SAFE_INTEGER, "is too large");

const text = (max: number) => z.string().max(max, `must be at most ${max.toLocaleString("en")} characters`);
const nonEmptyText = (max: number) => text(max).refine((s) => s.trim().length > 0, "must not be empty");

const platform = z.enum(PLATFORMS, `must be one of ${PLATFORMS.join(", ")}`);

/** Lower case, without the leading @ and surrounding spaces, as `social_accounts.handle` stores it. */
export function normalizeHandle(handle: string): string {
  return handle.trim().replace(/^@/, "").toLowerCase();
}

const handle = z
  .string()
  .transform(normalizeHandle)
  .pipe(
    z
      .string()
      .min(1, "must not be empty")
      .max(LIMITS.handleLength, `must be at most ${LIMITS.handleLength} characters`)
      .regex(/^[^\s@\u0000-\u001f\u007f]+$/u, "must not contain spaces, control characters or a second @"),
  );

const externalId = nonEmptyText(LIMITS.externalIdLength);

/** `#Fitness` → `fitness`. */
export function normalizeHashtag(tag: string): string {
  return tag.trim().replace(/^#/, "").toLowerCase();
}

// ------------------------------------------------------------------------------------------------ row schemas

const influencerSchema = z.strictObject({
  type: z.literal("influencer"),
  ref: nonEmptyText(LIMITS.refLength),
  name: nonEmptyText(LIMITS.nameLength).transform((s) => s.trim()),
  bio: text(LIMITS.bioLength).default(""),
  country: z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code in upper case, such as US"),
  language: z.string().regex(/^[a-z]{2}$/, "must be an ISO 639-1 code in lower case, such as en"),
  categories: z
    .array(z.enum(CATEGORIES, `must be one of ${CATEGORIES.join(", ")}`))
    .max(CATEGORIES.length, `must have at most ${CATEGORIES.length} entries`)
    .default([])
    .transform((list) => [...new Set(list)].sort()),
});

const accountSchema = z.strictObject({
  type: z.literal("account"),
  influencer: nonEmptyText(LIMITS.refLength),
  platform,
  handle,
  followers: count,
  following: count,
  posts: count,
  verified: z.boolean().default(false),
});

const audienceSchema = z
  .strictObject({
    type: z.literal("audience"),
    platform,
    handle,
    dimension: z.enum(AUDIENCE_DIMENSIONS, `must be one of ${AUDIENCE_DIMENSIONS.join(", ")}`),
    shares: z.record(z.string(), z.number().min(0, "must be a fraction from 0 to 1").max(1, "must be a fraction from 0 to 1")),
  })
  .superRefine((row, ctx) => {
    const keys = Object.keys(row.shares);
    if (keys.length > LIMITS.audienceKeys) {
      ctx.addIssue({ code: "custom", path: ["shares"], message: `must have at most ${LIMITS.audienceKeys} keys` });
      return;
    }
    const valid = AUDIENCE_KEYS[row.dimension];
    for (const key of keys) {
      if (!valid(key)) ctx.addIssue({ code: "custom", path: ["shares", key], message: `is not a ${row.dimension} key${audienceKeyHint(row.dimension)}`, input: key });
    }
    const values = Object.values(row.shares);
    if (values.every((share) => typeof share === "number" && share >= 0 && share <= 1)) {
      const sum = values.reduce((total, share) => total + share, 0);
      if (sum > LIMITS.audienceShareSum) ctx.addIssue({ code: "custom", path: ["shares"], message: "must add up to at most 1", input: round(sum) });
    }
  })
  .transform((row) => ({
    ...row,
    shares: Object.entries(row.shares).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  }));

function audienceKeyHint(dimension: AudienceDimension): string {
  switch (dimension) {
    case "COUNTRY":
      return " (ISO 3166-1 alpha-2 in upper case, such as US)";
    case "LANGUAGE":
      return " (ISO 639-1 in lower case, such as en)";
    case "AGE":
      return " (13-17, 18-24, 25-34, 35-44, 45-54 or 55+)";
    case "GENDER":
      return " (FEMALE, MALE or OTHER)";
    case "INTEREST":
      return " (a category such as FITNESS)";
  }
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

const accountSnapshotSchema = z.strictObject({
  type: z.literal("account_snapshot"),
  platform,
  handle,
  capturedAt: time,
  followers: count,
  following: count,
  posts: count,
});

const httpUrl = z
  .string()
  .max(LIMITS.urlLength, `must be at most ${LIMITS.urlLength} characters`)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "https:" || url.protocol === "http:") && url.hostname.length > 0;
    } catch {
      return false;
    }
  }, "must be an http(s) URL");

const postSchema = z.strictObject({
  type: z.literal("post"),
  platform,
  handle,
  externalId,
  publishedAt: time,
  kind: z.enum(POST_KINDS, `must be one of ${POST_KINDS.join(", ")}`),
  caption: text(LIMITS.captionLength).default(""),
  hashtags: z
    .array(
      z
        .string()
        .transform(normalizeHashtag)
        .pipe(
          z
            .string()
            .min(1, "must not be empty")
            .max(LIMITS.hashtagLength, `must be at most ${LIMITS.hashtagLength} characters`)
            .regex(/^[^\s#]+$/u, "must be one word"),
        ),
    )
    .max(LIMITS.hashtags, `must have at most ${LIMITS.hashtags} entries`)
    .default([])
    .transform((tags) => [...new Set(tags)]),
  url: httpUrl.nullable().default(null),
  campaignId: z.number().int("must be a whole number").min(1, "must be a campaign id (a positive whole number)").nullable().default(null),
});

const postMetricsSchema = z.strictObject({
  type: z.literal("post_metrics"),
  platform,
  externalId,
  capturedAt: time,
  likes: count,
  comments: count,
  shares: count.default(0),
  saves: count.default(0),
  views: count.default(0),
  reach: count.default(0),
  impressions: count.default(0),
});

const conversionSchema = z.strictObject({
  type: z.literal("conversion"),
  promoCode: z
    .string()
    .regex(/^[A-Za-z0-9_-]{3,40}$/, "must be 3 to 40 letters, digits, - or _")
    .transform((code) => code.toUpperCase()),
  at: time,
  orders: count,
  revenue: count,
  currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code in upper case, such as USD"),
});

const SCHEMAS = {
  influencer: influencerSchema,
  account: accountSchema,
  audience: audienceSchema,
  account_snapshot: accountSnapshotSchema,
  post: postSchema,
  post_metrics: postMetricsSchema,
  conversion: conversionSchema,
} as const;

/** The fields each row type takes, in the order the documentation lists them. */
export const ROW_FIELDS: Readonly<Record<RowType, readonly string[]>> = {
  influencer: ["ref", "name", "bio", "country", "language", "categories"],
  account: ["influencer", "platform", "handle", "followers", "following", "posts", "verified"],
  audience: ["platform", "handle", "dimension", "shares"],
  account_snapshot: ["platform", "handle", "capturedAt", "followers", "following", "posts"],
  post: ["platform", "handle", "externalId", "publishedAt", "kind", "caption", "hashtags", "url", "campaignId"],
  post_metrics: ["platform", "externalId", "capturedAt", ...METRIC_COUNTERS],
  conversion: ["promoCode", "at", "orders", "revenue", "currency"],
};

// ------------------------------------------------------------------------------------------------ validation

/** zod issues as row problems: the path inside the row and a sentence that names the field. */
function problemsOf(error: z.ZodError): RowProblem[] {
  const problems: RowProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) problems.push({ field: [...issue.path, key].join("."), reason: `unknown field "${key}"` });
      continue;
    }
    const field = issue.path.map(String).join(".");
    problems.push({ field, reason: `${field || "the row"} ${sentence(issue)}` });
  }
  return problems;
}

function sentence(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  if (issue.code === "invalid_type") {
    if (input === undefined) return "is required";
    const expected = issue.expected === "int" ? "a whole number" : /^[aeiou]/.test(issue.expected) ? `an ${issue.expected}` : `a ${issue.expected}`;
    return `must be ${expected}${got(input)}`;
  }
  if (issue.code === "invalid_value" && issue.values.length === 1) return `must be ${JSON.stringify(issue.values[0])}${got(input)}`;
  if (issue.code === "custom") return input === undefined || issue.message.includes("(got ") ? issue.message : `${issue.message}${got(input)}`;
  return `${issue.message}${got(input)}`;
}

/**
 * Validates and normalises one row. `type` picks the schema; the GraphQL mutations pass it explicitly (their
 * inputs carry no `type`), files carry it in the row.
 */
export function validateRow(value: unknown, type?: RowType): RowResult {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, problems: [{ field: "", reason: `a row must be a JSON object${got(value)}` }] };
  }
  const rowType = type ?? (value as { type?: unknown }).type;
  if (typeof rowType !== "string" || !(ROW_TYPES as readonly string[]).includes(rowType)) {
    const given = (value as { type?: unknown }).type;
    const reason = given === undefined ? "type is required" : `type must be one of ${ROW_TYPES.join(", ")}${got(given)}`;
    return { ok: false, problems: [{ field: "type", reason }] };
  }
  const input = type ? { ...(value as object), type } : value;
  const parsed = SCHEMAS[rowType as RowType].safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error) };
  return { ok: true, row: parsed.data as IngestRow };
}

// ------------------------------------------------------------------------------------------------ the bulk fast path

/** Platform → its index in PLATFORMS (post_metrics rows carry the index, not the string). */
export const PLATFORM_INDEX: ReadonlyMap<string, number> = new Map(PLATFORMS.map((p, i) => [p, i]));

/**
 * A post_metrics row in flat form: what `readPostMetrics` writes for the bulk path (no object per row).
 * `counters` holds METRIC_COUNTERS in order at `offset * 7`.
 */
export interface MetricsSink {
  platform: Uint8Array;
  externalId: string[];
  capturedAt: Float64Array;
  counters: Float64Array;
}

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const optionalCount = (v: unknown): number => (v === undefined ? 0 : isCount(v) ? v : -1);

/**
 * Writes a post_metrics row (a parsed JSON object) into `sink` at `slot` and returns true, when it has the
 * ordinary valid shape; returns false for anything else, for which `validateRow`
 * gives the verdict (and the problems). Never accepts a row that `validateRow` refuses.
 */
export function readPostMetrics(o: Record<string, unknown>, sink: MetricsSink, slot: number, now: number): boolean {
  if (o.type !== "post_metrics") return false;
  let fields = 0;
  for (const key in o) {
    switch (key) {
      case "type":
      case "platform":
      case "externalId":
      case "capturedAt":
      case "likes":
      case "comments":
      case "shares":
      case "saves":
      case "views":
      case "reach":
      case "impressions":
        fields++;
        break;
      default:
        return false;
    }
  }
  if (fields < 6) return false;
  const platform = PLATFORM_INDEX.get(o.platform as string);
  const id = o.externalId;
  const at = o.capturedAt;
  if (platform === undefined || typeof id !== "string" || id.length === 0 || id.length > LIMITS.externalIdLength || typeof at !== "string") return false;
  if (id.charCodeAt(0) <= 32 || id.charCodeAt(id.length - 1) <= 32) return false; // let the schema judge blank ids
  const ms = parseIsoDateTime(at);
  if (ms === null || ms < EARLIEST_TIME || ms > now + FUTURE_TOLERANCE_MS) return false;
  const likes = o.likes;
  const comments = o.comments;
  if (!isCount(likes) || !isCount(comments)) return false;
  const shares = optionalCount(o.shares);
  const saves = optionalCount(o.saves);
  const views = optionalCount(o.views);
  const reach = optionalCount(o.reach);
  const impressions = optionalCount(o.impressions);
  if (shares < 0 || saves < 0 || views < 0 || reach < 0 || impressions < 0) return false;
  sink.platform[slot] = platform;
  sink.externalId[slot] = id;
  sink.capturedAt[slot] = ms;
  const c = sink.counters;
  const base = slot * 7;
  c[base] = likes;
  c[base + 1] = comments;
  c[base + 2] = shares;
  c[base + 3] = saves;
  c[base + 4] = views;
  c[base + 5] = reach;
  c[base + 6] = impressions;
  return true;
}

/** Writes a validated post_metrics row into `sink` at `slot` (rows that took the schema's path). */
export function writeMetricsRow(sink: MetricsSink, slot: number, row: PostMetricsRow): void {
  sink.platform[slot] = PLATFORM_INDEX.get(row.platform)!;
  sink.externalId[slot] = row.externalId;
  sink.capturedAt[slot] = row.capturedAt;
  const base = slot * 7;
  for (let k = 0; k < METRIC_COUNTERS.length; k++) sink.counters[base + k] = row[METRIC_COUNTERS[k]!];
}

/** An empty sink for `capacity` rows. */
export function createMetricsSink(capacity: number): MetricsSink {
  return {
    platform: new Uint8Array(capacity),
    externalId: new Array<string>(capacity).fill(""),
    capturedAt: new Float64Array(capacity),
    counters: new Float64Array(capacity * 7),
  };
}

// ------------------------------------------------------------------------------------------------ CSV

/** CSV carries post_metrics only, one row per record, with a header naming these columns (any order). */
export const CSV_COLUMNS = ["platform", "externalId", "capturedAt", ...METRIC_COUNTERS] as const;
export const CSV_REQUIRED_COLUMNS = ["platform", "externalId", "capturedAt", ...REQUIRED_METRIC_COUNTERS] as const;

/** Checks a CSV header; returns a sentence saying what is wrong, or null. */
export function csvHeaderProblem(header: readonly string[]): string | null {
  const known = new Set<string>(CSV_COLUMNS);
  const unknown = header.filter((name) => !known.has(name));
  if (unknown.length) return `unknown column${unknown.length > 1 ? "s" : ""} ${unknown.map((c) => `"${c}"`).join(", ")}`;
  const duplicated = header.filter((name, i) => header.indexOf(name) !== i);
  if (duplicated.length) return `column "${duplicated[0]}" appears twice`;
  const missing = CSV_REQUIRED_COLUMNS.filter((name) => !header.includes(name));
  if (missing.length) return `missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`;
  return null;
}

/**
 * A CSV record as a post_metrics object: counters written in plain digits become numbers, empty cells of the
 * optional counters are left out, anything else stays a string for the schema to refuse with its value.
 */
export function csvRecordToRow(header: readonly string[], record: readonly string[]): Record<string, unknown> {
  const row: Record<string, unknown> = { type: "post_metrics" };
  for (let i = 0; i < header.length; i++) {
    const name = header[i]!;
    const cell = record[i];
    if (cell === undefined) continue;
    if (name === "platform" || name === "externalId" || name === "capturedAt") {
      row[name] = cell;
    } else if (cell === "") {
      if ((REQUIRED_METRIC_COUNTERS as readonly string[]).includes(name)) row[name] = cell;
    } else {
      row[name] = /^\d{1,16}$/.test(cell) ? Number(cell) : cell;
    }
  }
  return row;
}
