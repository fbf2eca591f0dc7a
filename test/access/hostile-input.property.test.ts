/**
 * Hostile input, property-based (fast-check), over real HTTP against the real server.
 *
 * Every operation in OPERATIONS gets random and hostile arguments — edge-case strings (empty, 10k chars, NUL, RTL
 * marks, emoji, lone surrogates), numbers (negative, 2^53+1, floats where integers go), dates (impossible, year 0,
 * far future, odd offsets), ids (another organization's, non-numeric, "1e3"), enums, arrays (empty, huge,
 * duplicated), objects with extra or missing fields, and JSON of the wrong type — sent mostly as variables and
 * sometimes as inline literals. Whatever comes in, the server must:
 * 1. answer only typed errors: HTTP 200 or 400, a JSON body, every error with a known `extensions.code` (never
 *    INTERNAL_SERVER_ERROR), no `stacktrace`, no SQL or stack frame or file path in messages, and a `field` on
 *    every BAD_USER_INPUT;
 * 2. leave the database as it was when it refuses (errors, data null), and write exactly one audit entry, of the
 *    operation's action, when it accepts (random input is sometimes valid);
 * 3. stay up.
 * The query text itself and the request body are fuzzed too.
 *
 * Runs: FC_SEED=<n> replays a run (fast-check prints the seed and the shrunk counterexample of a failure).
 */
import { createHash } from "node:crypto";

import fc from "fast-check";
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  AGE_BANDS,
  API_KEY_ROLES,
  AUDIENCE_DIMENSIONS,
  CAMPAIGN_OBJECTIVES,
  CAMPAIGN_STATUSES,
  CATEGORIES,
  COLLABORATION_STATUSES,
  DELIVERABLE_STATUSES,
  GENDERS,
  PLATFORMS,
  POST_KINDS,
  type CollaborationStatus,
} from "../../schema/enums.js";
import { collaborations, deliverables } from "../../schema/tables.js";
import { allowedNextStatuses } from "../../server/campaigns/collaboration-status.js";
import { createApiKey, createCampaign, createInfluencer, createOrganization, createPost } from "../support/factories.js";
import { startTestServer, type TestServer } from "../support/server.js";

// ------------------------------------------------------------------------------------------------ run settings

const SEED = process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {};
/** Runs per mutation property; the whole file stays well under 40 s on 2 cores. */
const RUNS_PER_OPERATION = 300;
const RUNS_QUERY_FUZZ = 400;
const RUNS_BODY_FUZZ = 200;
const RUNS_REGRESSION_PROBES = 40;
const PROPERTY_TIMEOUT_MS = 120_000;

const BODY_LIMIT_BYTES = 1024 * 1024; // the server's default BODY_LIMIT_BYTES

/** Every code a refusal may carry. INTERNAL_SERVER_ERROR is deliberately absent. */
const TYPED_CODES = new Set([
  "BAD_USER_INPUT",
  "NOT_FOUND",
  "CONFLICT",
  "FORBIDDEN",
  "UNAUTHENTICATED",
  "GRAPHQL_VALIDATION_FAILED",
  "GRAPHQL_PARSE_FAILED",
  "BAD_REQUEST",
  "QUERY_TOO_DEEP",
  "TOO_MANY_ALIASES",
  "QUERY_TOO_COSTLY",
  "RATE_LIMITED",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
]);

/** What must never reach a client: SQL engine errors, JS errors, stack frames, source paths. */
const LEAKS: [string, RegExp][] = [
  ["SQLite error", /SQLITE|SqliteError|constraint failed|no such (?:table|column)|syntax error at|near ".*": syntax/i],
  ["JS runtime error", /\b(?:TypeError|ReferenceError|RangeError|SyntaxError): |Cannot read propert|is not a function|undefined is not/],
  ["stack frame", /^\s*at\s.+\(.*:\d+:\d+\)|\bat\s+[\w$.<>]+\s+\((?:file:|node:|\/)|\bat\s+(?:file:|node:)?\/[^\s]+:\d+:\d+/m],
  ["file path", /\/work\/|node_modules|(?:\/[\w.@-]+){2,}\.(?:ts|js|mjs|cjs)\b|file:\/\//],
];

// ------------------------------------------------------------------------------------------------ fixtures

interface Fixtures {
  orgA: number;
  orgB: number;
  /** Plain keys. `admin` (org A) is the main actor and is never revoked by the properties. */
  keys: { admin: string; manager: string; analyst: string; revoked: string; foreignAdmin: string };
  /** Row ids of those keys, and the organization each acts for. */
  keyIds: Record<keyof Fixtures["keys"], number>;
  keyOrgs: Record<keyof Fixtures["keys"], number>;
  adminKeyId: number;
}

let server: TestServer;
let fx: Fixtures;
let schema: GraphQLSchema;

const keyIdOf = (key: string) => server.app.db.$client.prepare("select id from api_keys where prefix = ?").pluck().get(key.split("_")[1]) as number;

function seedFixtures(): Fixtures {
  const db = server.app.db;
  const orgA = createOrganization(db, "Org A").id;
  const orgB = createOrganization(db, "Org B").id;
  const keys = {
    admin: createApiKey(db, orgA, "ADMIN"),
    manager: createApiKey(db, orgA, "MANAGER"),
    analyst: createApiKey(db, orgA, "ANALYST"),
    revoked: createApiKey(db, orgA, "MANAGER"),
    foreignAdmin: createApiKey(db, orgB, "ADMIN"),
  };
  createApiKey(db, orgB, "MANAGER");
  db.$client.prepare("update api_keys set revoked_at = ? where prefix = ?").run(Date.now(), keys.revoked.split("_")[1]);

  const creators = [0, 1, 2, 3, 4, 5, 6, 7].map((i) =>
    createInfluencer(db, { accounts: [{ platform: PLATFORMS[i % PLATFORMS.length]! }, { platform: PLATFORMS[(i + 1) % PLATFORMS.length]! }] }),
  );
  const mine = [
    createCampaign(db, orgA),
    createCampaign(db, orgA),
    createCampaign(db, orgA),
    createCampaign(db, orgA, { currency: "EUR" }),
    createCampaign(db, orgA, { archived: true }),
  ];
  const theirs = [createCampaign(db, orgB), createCampaign(db, orgB)];
  const statuses = ["SHORTLISTED", "NEGOTIATING", "CONTRACTED", "DECLINED", "PUBLISHED"] as const;
  mine.forEach((campaign, i) => {
    creators.forEach((creator, j) => {
      if ((i + j) % 2 === 1) return;
      const status = statuses[(i + j) % statuses.length]!;
      const fee = status === "CONTRACTED" || status === "PUBLISHED" ? 100_000 : null;
      db.insert(collaborations)
        .values({ campaignId: campaign.id, influencerId: creator.influencer.id, status, feeAmount: fee, feeCurrency: fee ? campaign.currency : null })
        .run();
    });
  });
  const foreignCollab = db
    .insert(collaborations)
    .values({ campaignId: theirs[0]!.id, influencerId: creators[0]!.influencer.id, status: "NEGOTIATING" })
    .returning()
    .get();
  db.insert(deliverables).values({ collaborationId: foreignCollab.id, platform: "INSTAGRAM", kind: "PHOTO" }).run();
  // Posts: organic ones, one already made for a campaign of org B, one for a campaign of org A.
  for (const creator of creators) {
    for (const account of creator.accounts) createPost(db, account);
  }
  createPost(db, creators[0]!.accounts[0]!, { campaignId: theirs[0]!.id });
  createPost(db, creators[1]!.accounts[0]!, { campaignId: mine[0]!.id });
  const keyIds = mapValues(keys, keyIdOf) as Fixtures["keyIds"];
  const keyOrgs = { admin: orgA, manager: orgA, analyst: orgA, revoked: orgA, foreignAdmin: orgB };
  return { orgA, orgB, keys, keyIds, keyOrgs, adminKeyId: keyIds.admin };
}

// ------------------------------------------------------------------------------------------------ database fingerprint

/** Tables a mutation may write, with the columns compared (`api_keys.last_used_at` is bookkeeping of every read). */
const FINGERPRINT: Record<string, string> = {
  organizations: "*",
  api_keys: "id, organization_id, name, prefix, key_hash, role, created_at, revoked_at",
  campaigns: "*",
  collaborations: "*",
  deliverables: "*",
  audit_log: "*",
  posts: "id, campaign_id", // recordDeliverable links a post to its campaign
  // Batched ingestion (recordPostMetrics, recordAccountSnapshots) and what it keeps in step.
  post_metric_snapshots: "*",
  account_snapshots: "*",
  social_accounts: "id, followers, following, post_count, updated_at",
  influencers: "id, total_followers, updated_at",
};

let lastFingerprint: { changes: number; value: Record<string, string> } | undefined;

/**
 * Per table: row count and a hash of every row. The server writes through this same SQLite connection, whose
 * `total_changes()` counter moves with every row it inserts, updates or deletes: while the counter stands still,
 * the last fingerprint is still exact, which keeps the many calls that write nothing cheap.
 */
function fingerprint(): Record<string, string> {
  const client = server.app.db.$client;
  const changes = client.prepare("select total_changes()").pluck().get() as number;
  if (lastFingerprint?.changes === changes) return lastFingerprint.value;
  const value: Record<string, string> = {};
  for (const [table, columns] of Object.entries(FINGERPRINT)) {
    const rows = client.prepare(`select ${columns} from ${table} order by rowid`).raw().all();
    value[table] = `${rows.length} rows, sha256 ${createHash("sha256").update(JSON.stringify(rows)).digest("hex").slice(0, 16)}`;
  }
  lastFingerprint = { changes, value };
  return value;
}

function auditRows(): { n: number; last: { action: string; organization_id: number; api_key_id: number | null } | undefined } {
  const client = server.app.db.$client;
  const n = client.prepare("select count(*) from audit_log").pluck().get() as number;
  const last = client.prepare("select action, organization_id, api_key_id from audit_log order by id desc limit 1").get() as
    | { action: string; organization_id: number; api_key_id: number | null }
    | undefined;
  return { n, last };
}

// ------------------------------------------------------------------------------------------------ HTTP

interface Reply {
  status: number;
  contentType: string;
  text: string;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] } | undefined;
  requestBytes: number;
}

async function send(body: string, authorization?: string): Promise<Reply> {
  const response = await fetch(server.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization !== undefined && { authorization }) },
    body,
  });
  const text = await response.text();
  let parsed: Reply["body"];
  try {
    parsed = JSON.parse(text) as Reply["body"];
  } catch {
    parsed = undefined;
  }
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", text, body: parsed, requestBytes: Buffer.byteLength(body) };
}

const clip = (text: string, n = 600) => (text.length > n ? `${text.slice(0, n)}… (${text.length} chars)` : text);

/**
 * Property 1: only typed errors. Returns the errors (empty when none). `argumentNames`, when given, are the
 * argument names a BAD_USER_INPUT `field` must be a path under (`input`, `input.budget.currency`...).
 */
function assertTypedAnswer(reply: Reply, request: string, options: { argumentNames?: string[] } = {}) {
  const where = `\nrequest: ${clip(request)}\nstatus: ${reply.status}\nresponse: ${clip(reply.text, 1200)}`;
  const statusOk = reply.status === 200 || reply.status === 400 || (reply.status === 413 && reply.requestBytes > BODY_LIMIT_BYTES);
  if (!statusOk) throw new Error(`HTTP status ${reply.status} (only 200 or 400 allowed)${where}`);
  if (!reply.contentType.includes("json") || reply.body === undefined || typeof reply.body !== "object" || reply.body === null) {
    throw new Error(`the body is not JSON${where}`);
  }
  const errors = reply.body.errors ?? [];
  if (!Array.isArray(errors)) throw new Error(`errors is not a list${where}`);
  if (errors.length === 0 && reply.body.data === undefined) throw new Error(`neither data nor errors${where}`);
  for (const error of errors) {
    const code = error.extensions?.code;
    if (typeof code !== "string" || !TYPED_CODES.has(code)) throw new Error(`untyped error code ${String(code)}${where}`);
    if (error.extensions && "stacktrace" in error.extensions) throw new Error(`an error carries a stacktrace${where}`);
    for (const [what, pattern] of LEAKS) {
      if (pattern.test(error.message)) throw new Error(`an error message leaks a ${what}: ${clip(error.message, 300)}${where}`);
    }
    if (code === "BAD_USER_INPUT") {
      const field = error.extensions?.field;
      if (typeof field !== "string" || field.length === 0) throw new Error(`BAD_USER_INPUT without a field${where}`);
      if (options.argumentNames && !options.argumentNames.some((name) => field === name || field.startsWith(`${name}.`))) {
        throw new Error(`BAD_USER_INPUT field "${field}" is not a path under the argument(s) ${options.argumentNames.join(", ")}${where}`);
      }
    }
  }
  if (reply.status !== 200 && errors.length === 0) throw new Error(`HTTP ${reply.status} without errors${where}`);
  return errors;
}

// ------------------------------------------------------------------------------------------------ arbitraries: values

/** A value resolved at request time against the current database, so valid ids stay valid as the runs change it. */
class Ref {
  constructor(
    readonly kind: "campaign" | "collaboration" | "influencer" | "post" | "apiKey",
    readonly owner: "mine" | "foreign",
    readonly pick: number,
    /** How the id is sent: "12", 12, or " 12 " (ids are trimmed by the server). */
    readonly style: "string" | "number" | "padded",
  ) {}
  [fc.toStringMethod]() {
    return `Ref(${this.kind}, ${this.owner}, #${this.pick}, ${this.style})`;
  }
}

/** A `to` status resolved at request time to one the input's collaboration may move to (when it has any). */
class NextStatus {
  constructor(readonly pick: number) {}
  [fc.toStringMethod]() {
    return `NextStatus(#${this.pick})`;
  }
}

function resolveNextStatus(marker: NextStatus, collaborationId: unknown): string {
  const id = Number(String(collaborationId).trim());
  const row = server.app.db.$client.prepare("select status from collaborations where id = ?").get(Number.isSafeInteger(id) ? id : -1) as
    | { status: CollaborationStatus }
    | undefined;
  const allowed = row ? allowedNextStatuses(row.status) : [];
  return allowed.length ? allowed[marker.pick % allowed.length]! : COLLABORATION_STATUSES[marker.pick % COLLABORATION_STATUSES.length]!;
}

function resolveRef(ref: Ref): string | number {
  const client = server.app.db.$client;
  const org = ref.owner === "mine" ? fx.orgA : fx.orgB;
  let ids: number[];
  switch (ref.kind) {
    case "campaign":
      // Mostly a live campaign, sometimes any (archived ones included).
      ids = client
        .prepare("select id from campaigns where organization_id = ? and (? or archived_at is null) order by id")
        .pluck()
        .all(org, ref.pick % 5 === 0 ? 1 : 0) as number[];
      break;
    case "collaboration":
      // Mostly one that can still move (not final, campaign not archived), sometimes any.
      ids = client
        .prepare(
          `select c.id from collaborations c join campaigns p on p.id = c.campaign_id where p.organization_id = ?
           and (? or (c.status not in ('PAID', 'DECLINED', 'CANCELLED') and p.archived_at is null)) order by c.id`,
        )
        .pluck()
        .all(org, ref.pick % 5 === 0 ? 1 : 0) as number[];
      break;
    case "influencer":
      ids = client.prepare("select id from influencers order by id").pluck().all() as number[];
      if (ref.owner === "foreign") ids = [Math.max(...ids) + 1000];
      break;
    case "post":
      ids = client.prepare("select id from posts order by id").pluck().all() as number[];
      if (ref.owner === "foreign") ids = [Math.max(...ids) + 1000];
      break;
    case "apiKey":
      // The acting ADMIN key is never a target: revoking it would lock the rest of the run out.
      ids = (client.prepare("select id from api_keys where organization_id = ? order by id").pluck().all(org) as number[]).filter(
        (id) => id !== fx.adminKeyId,
      );
      break;
  }
  const id = ids.length ? ids[ref.pick % ids.length]! : 999_999;
  return ref.style === "number" ? id : ref.style === "padded" ? ` ${id} ` : String(id);
}

function resolveRefs(value: unknown): unknown {
  if (value instanceof Ref) return resolveRef(value);
  if (Array.isArray(value)) return value.map(resolveRefs);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const resolved = resolveRefs(v);
      Object.defineProperty(out, k, { value: resolved, enumerable: true, writable: true, configurable: true });
    }
    for (const [k, v] of Object.entries(out)) if (v instanceof NextStatus) out[k] = resolveNextStatus(v, out.collaborationId);
    return out;
  }
  return value;
}

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

const NASTY_STRINGS = [
  "",
  " ",
  "   ",
  "\t\n\r",
  "\u0000",
  "a\u0000b",
  "\u202Egnp.exe\u202C",
  "\u200F\u200Eמבצע\u200F",
  "\uFEFF",
  "\u200B",
  "👩‍👩‍👧‍👦",
  "🇺🇸🇫🇷",
  "😀".repeat(60),
  "e\u0301\u0301\u0301",
  "ｆｕｌｌｗｉｄｔｈ",
  "\u{10FFFF}",
  "\uD800",
  "\uDFFFx\uD800",
  "'; DROP TABLE campaigns; --",
  "\" OR 1=1 --",
  "%s%s%n",
  "${7*7}{{7*7}}",
  "<script>alert(1)</script>",
  "../../../../etc/passwd",
  "null",
  "undefined",
  "NaN",
  "Infinity",
  "-0",
  "0x10",
  "1e3",
  "\\",
  "\\u0000",
  "__proto__",
  "constructor",
];

/** Strings of every shape, short. */
const shortString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary-ascii", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.oneof(loneSurrogate, fc.string({ unit: "binary", minLength: 1, maxLength: 1 })), maxLength: 8 }) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
);

/** Up to ~10k characters, around the limits the API declares. */
const hugeString = fc.oneof(
  fc.string({ unit: "grapheme-ascii", minLength: 9_990, maxLength: 10_010 }),
  fc.string({ unit: "binary", minLength: 2_000, maxLength: 10_000 }),
  fc.constantFrom(2, 100, 101, 200, 201, 2_000, 2_001, 5_000, 5_001, 10_000, 10_001).chain((n) =>
    fc.constantFrom("x".repeat(n), "😀".repeat(n), " ".repeat(n), "\u0000".repeat(n)),
  ),
);

const anyString = fc.oneof({ weight: 8, arbitrary: shortString }, { weight: 1, arbitrary: hugeString });

/** JSON of a type the field does not take (null included). */
const wrongJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constant({}),
  fc.constant([]),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxKeys: 3 }),
  fc.string({ maxLength: 10 }),
);

/** Mostly `good`, sometimes the wrong JSON type. */
const orWrong = <T>(good: fc.Arbitrary<T>, wrongWeight = 1) =>
  fc.oneof({ weight: 8, arbitrary: good as fc.Arbitrary<unknown> }, { weight: wrongWeight, arbitrary: wrongJson });

const OMIT = Symbol("omit");

/** One input field: its valid values (edge cases included) and its hostile ones. */
interface FieldSpec {
  valid: fc.Arbitrary<unknown>;
  hostile: fc.Arbitrary<unknown>;
  required: boolean;
}

const req = (valid: fc.Arbitrary<unknown>, hostile: fc.Arbitrary<unknown>): FieldSpec => ({ valid, hostile, required: true });
const opt = (valid: fc.Arbitrary<unknown>, hostile: fc.Arbitrary<unknown>): FieldSpec => ({ valid, hostile, required: false });

/** Extra keys a client should not send: prototype names, unicode, empty. */
const hostileKey = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "prototype", "toString", "id", "organizationId", "extra", "名前", "a-b", ""),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: "binary", maxLength: 6 }),
);

function withKeys(record: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (v !== OMIT) out[k] = v;
  // defineProperty: `__proto__` must become an own key, as JSON.parse makes it on the server.
  for (const [k, v] of Object.entries(extra)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

const mapValues = <T, U>(o: Record<string, T>, f: (t: T) => U) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));

/**
 * An input object in one of three modes:
 * - hostile: every field hostile, mistyped, null or omitted (required ones too), sometimes with extra keys;
 * - one fault: a valid object with exactly one field made hostile or omitted (pins each refusal on one field);
 * - valid: valid, edge-case values only, so that accepted calls (and their audit entries) are exercised.
 */
function inputObject(specs: Record<string, FieldSpec>): fc.Arbitrary<Record<string, unknown>> {
  const hostileRecord = fc
    .tuple(
      fc.record(
        mapValues(specs, (s) =>
          fc.oneof(
            { weight: 16, arbitrary: orWrong(fc.oneof(s.hostile, s.valid)) },
            { weight: s.required ? 1 : 5, arbitrary: fc.constant<unknown>(OMIT) },
          ),
        ),
      ),
      fc.oneof({ weight: 5, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.dictionary(hostileKey, wrongJson, { minKeys: 1, maxKeys: 2 }) }),
    )
    .map(([record, extra]) => withKeys(record, extra));
  const validRecord = fc.record(mapValues(specs, (s) => (s.required ? s.valid : fc.oneof(s.valid, fc.constant<unknown>(OMIT)))));
  const keys = Object.keys(specs);
  const oneFault = fc
    .tuple(
      validRecord,
      fc.constantFrom(...keys).chain((key) => fc.tuple(fc.constant(key), fc.oneof({ weight: 6, arbitrary: orWrong(specs[key]!.hostile) }, { weight: 1, arbitrary: fc.constant<unknown>(OMIT) }))),
    )
    .map(([record, [key, value]]) => withKeys({ ...record, [key]: value }));
  return fc.oneof(
    { weight: 3, arbitrary: hostileRecord },
    { weight: 3, arbitrary: oneFault },
    { weight: 2, arbitrary: validRecord.map((record) => withKeys(record)) },
  );
}

const ODD_IDS = [
  "0",
  "-1",
  "1e3",
  "1.0",
  "0x10",
  "01",
  "+1",
  "١",
  "１",
  "9007199254740991",
  "9007199254740993",
  "99999999999999999999",
  "1".repeat(300),
  "NaN",
  "Infinity",
  "",
  "null",
  "1; DROP TABLE campaigns",
  "1 OR 1=1",
  "Q2FtcGFpZ246MQ==",
];

/** An id of this organization, resolved at request time (sometimes padded with spaces or sent as a number). */
const myId = (kind: Ref["kind"]) =>
  fc.tuple(fc.nat(), fc.nat({ max: 9 })).map(([pick, style]) => new Ref(kind, "mine", pick, style === 0 ? "number" : style === 1 ? "padded" : "string"));

/** Another organization's id, or nonsense. */
const hostileId = (kind: Ref["kind"]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.nat().map((pick) => new Ref(kind, "foreign", pick, "string")) },
    { weight: 3, arbitrary: fc.constantFrom<unknown>(...ODD_IDS) },
    { weight: 1, arbitrary: fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 }), fc.constantFrom(2 ** 53 + 1, 1e21, -0, 1.5, 3.0)) },
    { weight: 1, arbitrary: fc.integer({ min: -5, max: 10_000 }).map(String) },
    { weight: 1, arbitrary: anyString },
  );

const idField = (kind: Ref["kind"]) => req(myId(kind), hostileId(kind));

/** Enum values: valid ones, and lower case, unknown, empty or non-names. */
const hostileEnum = (values: readonly string[]) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...values).map((v) => v.toLowerCase()) },
    { weight: 2, arbitrary: fc.constantFrom("", "ARCHIVED", "UNKNOWN", "DRAFT ", "true", "null", "__typename", "0", "ADMIN\u0000") },
    { weight: 1, arbitrary: shortString },
  );
const enumField = (values: readonly string[], required: boolean) =>
  ({ valid: fc.constantFrom(...values), hostile: hostileEnum(values), required }) satisfies FieldSpec;

/** Lists: empty, small, huge, with duplicates; items that may be invalid come at most `mixedMax` at a time. */
const hostileList = (element: fc.Arbitrary<unknown>, valid: fc.Arbitrary<unknown>, mixedMax = 8) =>
  // More than 50 invalid values in one request are probed on their own below (graphql-js stops at 50): short
  // mixed lists keep each failure here about one value.
  fc.oneof(
    { weight: 4, arbitrary: fc.array(fc.oneof(valid, element), { minLength: 1, maxLength: mixedMax }) },
    { weight: 1, arbitrary: fc.array(valid, { minLength: 1, maxLength: 4 }).map((a) => [...a, ...a, ...a]) },
    { weight: 1, arbitrary: fc.array(valid, { minLength: 19, maxLength: 21 }) },
    { weight: 1, arbitrary: fc.array(valid, { minLength: 49, maxLength: 51 }) },
    { weight: 1, arbitrary: fc.array(valid, { minLength: 249, maxLength: 400 }) },
  );
const listField = (element: fc.Arbitrary<unknown>, valid: fc.Arbitrary<unknown>, mixedMax = 8) =>
  opt(fc.array(valid, { maxLength: 5 }), hostileList(element, valid, mixedMax));

/** Valid text with edge cases: unicode, RTL marks, emoji, NUL, injection-looking strings. */
const validText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }) },
  { weight: 2, arbitrary: fc.constantFrom("Spring run", "Ünïcödé ✓", "\u202Eevil\u202C", "מבצע קיץ\u200F", "👩‍👩‍👧‍👦 family", "e\u0301te\u0301", "'; DROP TABLE campaigns; --", "<b>hi</b>", "a\u0000b") },
).filter((s) => /\S/.test(s));
/** Text within a length limit, from short to exactly the limit. */
const textUpTo = (max: number) =>
  fc.oneof(
    { weight: 6, arbitrary: validText.filter((s) => s.length <= max) },
    { weight: 1, arbitrary: fc.constant("x".repeat(max)) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: Math.floor(max * 0.9), maxLength: max }).filter((s) => /\S/.test(s)) },
  );

const intLike = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -10_000_000, max: 10_000_000 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(-1, -0, 2 ** 31, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 1, -(2 ** 53), 1.5, 0.1, 1e308, 5e-324, "100", "1e3", "NaN", "0x10", "-1"),
  },
  { weight: 1, arbitrary: fc.double() },
);

const validMoney = fc.record({
  amountMinor: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 10_000_000 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 2 ** 31, 2 ** 53 - 1) }),
  currency: fc.oneof({ weight: 4, arbitrary: fc.constant("USD") }, { weight: 1, arbitrary: fc.constant("EUR") }),
});
const money = inputObject({
  amountMinor: req(validMoney.map((m) => m.amountMinor), intLike),
  currency: req(
    fc.constantFrom("USD", "EUR"),
    fc.oneof(fc.constantFrom("usd", "US", "USDD", "", "ÜSD", "U$D", "USD\u0000", " USD"), shortString),
  ),
});
const moneyField = opt(validMoney, money);

const validDate = fc.oneof(
  { weight: 3, arbitrary: fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2035-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString()) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }), fc.constantFrom("+", "-"), fc.integer({ min: 0, max: 14 }), fc.constantFrom(0, 30, 45))
      .map(([d, sign, h, m]) => `${d.toISOString().slice(0, 19)}${sign}${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`),
  },
  { weight: 1, arbitrary: fc.constantFrom("1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59-12:00", "2028-02-29T12:00:00Z", "2026-06-01T00:00:00.123456789Z", "2026-06-01T00:00+14:00") },
);
const hostileDate = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(
      "0000-01-01T00:00:00Z",
      "0001-01-01T00:00:00Z",
      "0099-12-31T23:59:59Z",
      "+275760-09-13T00:00:00Z",
      "-000001-01-01T00:00:00Z",
      "2026-02-29T00:00:00Z",
      "2026-13-01T00:00:00Z",
      "2026-00-10T00:00:00Z",
      "2026-01-01T24:00:00Z",
      "2026-01-01T00:00:60Z",
      "2026-01-01",
      "2026-01-01T10:00:00",
      "2026-01-01T00:00:00.1234567891Z",
      "2026-01-01T00:00:00+15:00",
      "2026-01-01T00:00:00+14:60",
      "2026-01-01T00:00:00+99:99",
      "2026-01-01T00:00:00z",
      "2026-01-01 00:00:00Z",
      "２０２６-01-01T00:00:00Z",
      "next tuesday",
      "Invalid Date",
      "",
      "2026-01-01T00:00:00Z\u0000",
      1767225600000,
      -1,
    ),
  },
  { weight: 1, arbitrary: shortString },
);
const dateField = opt(validDate, hostileDate);

const COUNTRIES = ["US", "CA", "GB", "FR", "DE", "BR", "JP"];
const hostileCountry = fc.oneof(fc.constantFrom("us", "USA", "U", "", "ÜS", "U\u0000", "🇺🇸", " US"), shortString);

const validAudienceTarget = fc.oneof(
  fc.record({ dimension: fc.constant("COUNTRY"), key: fc.constantFrom(...COUNTRIES), minShare: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ dimension: fc.constant("AGE"), key: fc.constantFrom(...AGE_BANDS), minShare: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ dimension: fc.constant("GENDER"), key: fc.constantFrom(...GENDERS), minShare: fc.constantFrom(0, 0.5, 1, 5e-324) }),
  fc.record({ dimension: fc.constant("LANGUAGE"), key: fc.constantFrom("en", "fr", "de"), minShare: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ dimension: fc.constant("INTEREST"), key: fc.constantFrom(...CATEGORIES), minShare: fc.double({ min: 0, max: 1, noNaN: true }) }),
);
const hostileAudienceTarget = inputObject({
  dimension: enumField(AUDIENCE_DIMENSIONS, true),
  key: req(fc.constantFrom("US", "en", ...AGE_BANDS, ...GENDERS, "FITNESS"), fc.oneof(fc.constantFrom("18-99", "us", "EN", "", "x".repeat(21), "55+ ", "fitness"), shortString)),
  minShare: req(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom<unknown>(-0.0001, 1.0000001, 2, -1, 1e308, -1e308, "0.5", 1e-400)),
});

/** Batched ingestion: counters, capture times after the fixtures' posts were published, and row lists. */
const ingestCount = fc.oneof({ weight: 4, arbitrary: fc.nat({ max: 10_000_000 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 2 ** 53 - 1) });
const optionalCounters = Object.fromEntries(["shares", "saves", "views", "reach", "impressions"].map((name) => [name, opt(ingestCount, intLike)]));
const captureDate = fc
  .date({ min: new Date("2026-10-02T00:00:00Z"), max: new Date(Date.now() - 3_600_000), noInvalidDate: true })
  .map((d) => d.toISOString());
/** Rows mixing hostile and valid ones, none at all, or over the 1,000-row limit. */
const hostileRows = (hostile: fc.Arbitrary<unknown>, valid: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.array(fc.oneof(hostile, valid), { minLength: 1, maxLength: 8 }) },
    { weight: 1, arbitrary: fc.constant([]) },
    { weight: 1, arbitrary: valid.map((row) => Array.from({ length: 1_001 }, () => row)) },
  );

const campaignFields = {
  startsAt: dateField,
  endsAt: dateField,
  targetCountries: listField(hostileCountry, fc.constantFrom(...COUNTRIES)),
  categories: listField(hostileEnum(CATEGORIES), fc.constantFrom(...CATEGORIES)),
  audienceTargets: listField(hostileAudienceTarget, validAudienceTarget, 4),
  keywords: listField(fc.oneof(anyString, fc.constantFrom("", "   ", "x".repeat(101))), textUpTo(100)),
  brief: opt(textUpTo(10_000), anyString),
};

/** The discovery brief's parts. */
const fraction = fc.oneof({ weight: 4, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(0, 1, 5e-324) });
const hostileFraction = fc.constantFrom<unknown>(-0.0001, 1.0000001, 2, -1, 1e308, -1e308, "0.5", "NaN", true, null);
const validCriterion = fc.record({
  dimension: fc.constantFrom("COUNTRY", "GENDER"),
  keys: fc.constantFrom(["US"], ["US", "CA"], ["FEMALE"]),
  minShare: fraction,
  required: fc.boolean(),
});
const hostileCriterion = inputObject({
  dimension: enumField(AUDIENCE_DIMENSIONS, true),
  keys: req(fc.constantFrom(["US"], ["18-24", "25-34"], ["FEMALE"]), fc.oneof(fc.constantFrom([], ["18-99"], ["us"], [""], ["x".repeat(30)]), fc.array(shortString, { maxLength: 60 }))),
  minShare: opt(fraction, hostileFraction),
  maxShare: opt(fraction, hostileFraction),
  required: opt(fc.boolean(), wrongJson),
});
const WEIGHT_NAMES = ["keywordRelevance", "engagement", "audienceFit", "authenticity", "reach", "growth", "activity", "costEfficiency"];
const validWeights = fc.dictionary(fc.constantFrom(...WEIGHT_NAMES), fc.double({ min: 0, max: 10, noNaN: true }), { maxKeys: 8 });
const hostileWeights = inputObject(
  Object.fromEntries(WEIGHT_NAMES.map((name) => [name, opt(fc.double({ min: 0, max: 10, noNaN: true }), fc.constantFrom<unknown>(-1, -0.0001, 1e308, 1001, "1", "Infinity", null, true))])),
);
const validDiversity = fc.record({ by: fc.constantFrom("CATEGORY", "COUNTRY"), maxShare: fc.double({ min: 0.01, max: 1, noNaN: true }), window: fc.integer({ min: 1, max: 500 }) });
const hostileDiversity = inputObject({
  by: enumField(["CATEGORY", "COUNTRY"], true),
  maxShare: req(fraction, hostileFraction),
  window: opt(fc.integer({ min: 1, max: 500 }), intLike),
});
const keywordQuery = fc.oneof(
  fc.constantFrom("fitness", '"workout routine"', "ラーメン", "美食", "skin* OR hair", "-spam cats", "café"),
  textUpTo(200),
);
const hostileKeywords = fc.oneof(
  anyString,
  fc.constantFrom('"', '"""', "NEAR(a b)", "col:term", "^x", "*", "OR", "-", "a OR", "x*y", "\u0000", "(a", "a)", "'; DROP TABLE account_search; --", "x".repeat(201)),
);
const discoveryBrief = inputObject({
  objective: enumField(CAMPAIGN_OBJECTIVES, false),
  keywords: opt(keywordQuery, hostileKeywords),
  platforms: listField(hostileEnum(PLATFORMS), fc.constantFrom(...PLATFORMS)),
  minFollowers: opt(fc.nat(), intLike),
  maxFollowers: opt(fc.nat(), intLike),
  minEngagementRate: opt(fraction, hostileFraction),
  maxEngagementRate: opt(fraction, hostileFraction),
  creatorCountries: listField(hostileCountry, fc.constantFrom(...COUNTRIES)),
  creatorLanguages: listField(fc.oneof(fc.constantFrom("EN", "eng", "", "e"), shortString), fc.constantFrom("en", "ja", "pt")),
  categories: listField(hostileEnum(CATEGORIES), fc.constantFrom(...CATEGORIES)),
  audience: listField(hostileCriterion, validCriterion, 4),
  minAudienceCredibility: opt(fraction, hostileFraction),
  verifiedOnly: opt(fc.boolean(), wrongJson),
  minFollowerGrowth: opt(fc.double({ min: -0.5, max: 0.5, noNaN: true }), hostileFraction),
  hasContact: opt(fc.boolean(), wrongJson),
  excludeInfluencerIds: listField(hostileId("influencer"), myId("influencer")),
  excludeCampaignId: opt(myId("campaign"), hostileId("campaign")),
  weights: opt(validWeights, hostileWeights),
  diversity: opt(validDiversity, hostileDiversity),
});

// ------------------------------------------------------------------------------------------------ the operations

interface Operation {
  /** The root field. */
  field: string;
  root: "Mutation" | "Query";
  /** Argument name → GraphQL type, as the schema declares them; variables are named after the arguments. */
  args: Record<string, string>;
  selection: string;
  /** The audit action a successful call writes; null for reads (which must never change the database). */
  audit: string | null;
  /** Random and hostile values for the arguments (keys: argument names; a missing key omits the variable). */
  arbitrary: () => fc.Arbitrary<Record<string, unknown>>;
  /** A small, well-formed argument set (Refs resolve at request time), the base of the regression probes. */
  example: Record<string, unknown>;
}

/** Wraps the `input` argument: usually the generated object, sometimes null, missing, or mistyped. */
const inputArg = (input: fc.Arbitrary<Record<string, unknown>>) =>
  fc.oneof(
    { weight: 14, arbitrary: input.map((value) => ({ input: value })) },
    { weight: 1, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: fc.constant({ input: null }) },
    { weight: 1, arbitrary: wrongJson.map((value) => ({ input: value })) },
    { weight: 1, arbitrary: input.map((value) => ({ input: value, extra: value, __proto__x: 1 })) },
  );

const mine = (kind: Ref["kind"], pick = 0) => new Ref(kind, "mine", pick, "string");

/** Every mutation, and every query that takes free-form input (the discovery brief), with its arbitrary. */
const OPERATIONS: Operation[] = [
  {
    field: "discover",
    root: "Query",
    args: { brief: "DiscoveryBrief!", first: "Int", after: "String" },
    selection: "{ totalCount edges { rank score node { id } explanation { trust factors { factor value } } } }",
    audit: null,
    arbitrary: () =>
      fc.record({
        brief: fc.oneof({ weight: 14, arbitrary: discoveryBrief }, { weight: 1, arbitrary: wrongJson }),
        first: fc.oneof(fc.integer({ min: 0, max: 100 }), intLike),
        after: fc.oneof(fc.constant(undefined), anyString, fc.constantFrom("", "WyJ4IiwxLDFd", "null")),
      }).map((args) => withKeys(args.after === undefined ? { brief: args.brief, first: args.first } : args)),
    example: { brief: { keywords: "fitness", platforms: ["INSTAGRAM"] }, first: 10 },
  },
  {
    field: "createCampaign",
    root: "Mutation",
    args: { input: "CreateCampaignInput!" },
    selection: "{ __typename id name status budget { amountMinor currency } startsAt endsAt }",
    audit: "campaign.create",
    arbitrary: () =>
      inputArg(
        inputObject({
          name: req(textUpTo(200), fc.oneof(anyString, fc.constantFrom("", " ", "\u200B", "x".repeat(201)))),
          objective: enumField(CAMPAIGN_OBJECTIVES, true),
          budget: { ...moneyField, required: true },
          status: opt(fc.constantFrom("DRAFT", "ACTIVE"), fc.oneof(fc.constantFrom("PAUSED", "COMPLETED", "ARCHIVED"), hostileEnum(CAMPAIGN_STATUSES))),
          ...campaignFields,
        }),
      ),
    example: { input: { name: "Probe", objective: "AWARENESS", budget: { amountMinor: 100, currency: "USD" } } },
  },
  {
    field: "updateCampaign",
    root: "Mutation",
    args: { input: "UpdateCampaignInput!" },
    selection: "{ __typename id name status updatedAt }",
    audit: "campaign.update",
    arbitrary: () =>
      inputArg(
        inputObject({
          id: idField("campaign"),
          name: opt(textUpTo(200), fc.oneof(anyString, fc.constantFrom("", " ", "x".repeat(201)))),
          objective: enumField(CAMPAIGN_OBJECTIVES, false),
          budget: moneyField,
          status: opt(fc.constantFrom("DRAFT", "ACTIVE", "PAUSED", "COMPLETED"), fc.oneof(fc.constant("ARCHIVED"), hostileEnum(CAMPAIGN_STATUSES))),
          ...campaignFields,
        }),
      ),
    example: { input: { id: mine("campaign"), name: "Probe" } },
  },
  {
    field: "archiveCampaign",
    root: "Mutation",
    args: { input: "ArchiveCampaignInput!" },
    selection: "{ __typename id status archivedAt }",
    audit: "campaign.archive",
    // Mostly nonsense ids: a valid one archives for good, which would starve the other properties of live campaigns.
    arbitrary: () =>
      inputArg(
        inputObject({
          id: req(fc.oneof({ weight: 1, arbitrary: myId("campaign") }, { weight: 4, arbitrary: hostileId("campaign") }), hostileId("campaign")),
        }),
      ),
    example: { input: { id: "0" } },
  },
  {
    field: "addInfluencerToCampaign",
    root: "Mutation",
    args: { input: "AddInfluencerToCampaignInput!" },
    selection: "{ __typename id status promoCode trackingUrl fee { amountMinor currency } }",
    audit: "collaboration.create",
    arbitrary: () =>
      inputArg(
        inputObject({
          campaignId: idField("campaign"),
          influencerId: idField("influencer"),
          fee: moneyField,
          promoCode: opt(
            fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{3,40}$/), fc.constantFrom("SPRING10", "spring10", "A".repeat(40), "___", "---")),
            fc.oneof(fc.constantFrom("ab", "A".repeat(41), "a b", "ÄBC", "abc\u0000", "ＡＢＣ", "abc\n"), anyString),
          ),
          trackingUrl: opt(
            fc.oneof(fc.webUrl({ validSchemes: ["http", "https"] }), fc.constantFrom("https://example.com/x?utm=1", "https://例え.jp/パス", "http://[::1]/")),
            fc.oneof(
              fc.constantFrom(
                "javascript:alert(1)",
                "ftp://example.com",
                "https://",
                `https://example.com/${"a".repeat(2_000)}`,
                "data:text/html,<script>",
                "https://example.com/\u0000",
                "//example.com",
                "example.com",
              ),
              anyString,
            ),
          ),
          notes: opt(textUpTo(5_000), fc.oneof(anyString, fc.constant("x".repeat(5_001)))),
        }),
      ),
    example: { input: { campaignId: mine("campaign"), influencerId: mine("influencer") } },
  },
  {
    field: "transitionCollaboration",
    root: "Mutation",
    args: { input: "TransitionCollaborationInput!" },
    selection: "{ __typename id status allowedNextStatuses fee { amountMinor currency } }",
    audit: "collaboration.transition",
    arbitrary: () =>
      inputArg(
        inputObject({
          collaborationId: idField("collaboration"),
          to: req(fc.oneof(fc.nat().map((pick) => new NextStatus(pick)), fc.constantFrom(...COLLABORATION_STATUSES)), hostileEnum(COLLABORATION_STATUSES)),
          fee: moneyField,
          note: opt(textUpTo(2_000), fc.oneof(anyString, fc.constant("x".repeat(2_001)))),
        }),
      ),
    example: { input: { collaborationId: mine("collaboration"), to: "CANCELLED" } },
  },
  {
    field: "recordDeliverable",
    root: "Mutation",
    args: { input: "RecordDeliverableInput!" },
    selection: "{ __typename id status platform kind dueAt post { id } }",
    audit: "deliverable.create",
    arbitrary: () =>
      inputArg(
        inputObject({
          collaborationId: idField("collaboration"),
          platform: enumField(PLATFORMS, true),
          kind: enumField(POST_KINDS, true),
          description: opt(textUpTo(5_000), fc.oneof(anyString, fc.constant("x".repeat(5_001)))),
          dueAt: dateField,
          status: enumField(DELIVERABLE_STATUSES, false),
          postId: opt(myId("post"), hostileId("post")),
        }),
      ),
    example: { input: { collaborationId: mine("collaboration", 1), platform: "INSTAGRAM", kind: "PHOTO" } },
  },
  {
    field: "createApiKey",
    root: "Mutation",
    args: { input: "CreateApiKeyInput!" },
    selection: "{ __typename apiKey { id role name } }",
    audit: "apiKey.create",
    arbitrary: () =>
      inputArg(
        inputObject({
          name: req(textUpTo(100).filter((s) => !/[\u0000-\u001f\u007f]/.test(s)), fc.oneof(anyString, fc.constantFrom("", " ", "a\u0000b", "tab\there", "x".repeat(101), "😀".repeat(51)))),
          role: enumField(API_KEY_ROLES, true),
        }),
      ),
    example: { input: { name: "probe", role: "ANALYST" } },
  },
  {
    field: "revokeApiKey",
    root: "Mutation",
    args: { input: "RevokeApiKeyInput!" },
    selection: "{ __typename id revokedAt }",
    audit: "apiKey.revoke",
    // The acting key must survive the run: Refs never pick it, and literal ids equal to it are mapped away.
    arbitrary: () => inputArg(inputObject({ id: req(myId("apiKey"), hostileId("apiKey").map(notTheActingKey)) })),
    example: { input: { id: "0" } },
  },
  {
    field: "recordPostMetrics",
    root: "Mutation",
    args: { input: "RecordPostMetricsInput!" },
    selection: "{ __typename rows inserted updated unchanged }",
    audit: "postMetrics.record",
    arbitrary: () => {
      const posts = server.app.db.$client.prepare("select platform, external_id from posts order by id").raw().all() as [string, string][];
      const key = fc.constantFrom(...posts);
      const counters = { likes: req(ingestCount, intLike), comments: req(ingestCount, intLike), ...optionalCounters };
      const valid = key.chain(([platform, externalId]) =>
        fc.record({ platform: fc.constant(platform), externalId: fc.constant(externalId), capturedAt: captureDate, likes: ingestCount, comments: ingestCount }),
      );
      const hostile = key.chain(([platform, externalId]) =>
        inputObject({
          platform: req(fc.constant(platform), hostileEnum(PLATFORMS)),
          externalId: req(fc.constant(externalId), fc.oneof(anyString, fc.constant(`${externalId}-missing`))),
          capturedAt: req(captureDate, hostileDate),
          ...counters,
        }),
      );
      return inputArg(inputObject({ rows: req(fc.array(valid, { minLength: 1, maxLength: 5 }), hostileRows(hostile, valid)) }));
    },
    example: { input: { rows: [{ platform: "INSTAGRAM", externalId: "probe", capturedAt: "2026-10-05T00:00:00Z", likes: 1, comments: 0 }] } },
  },
  {
    field: "recordAccountSnapshots",
    root: "Mutation",
    args: { input: "RecordAccountSnapshotsInput!" },
    selection: "{ __typename rows inserted updated unchanged }",
    audit: "accountSnapshots.record",
    arbitrary: () => {
      const accounts = server.app.db.$client.prepare("select platform, handle from social_accounts order by id").raw().all() as [string, string][];
      const key = fc.constantFrom(...accounts);
      // Handles are case-insensitive and may carry the @.
      const handleOf = (handle: string) => fc.constantFrom(handle, `@${handle}`, handle.toUpperCase(), ` ${handle} `);
      const valid = key.chain(([platform, handle]) =>
        fc.record({ platform: fc.constant(platform), handle: handleOf(handle), capturedAt: captureDate, followers: ingestCount, following: ingestCount, posts: ingestCount }),
      );
      const hostile = key.chain(([platform, handle]) =>
        inputObject({
          platform: req(fc.constant(platform), hostileEnum(PLATFORMS)),
          handle: req(handleOf(handle), fc.oneof(anyString, fc.constantFrom("", "@", "@@x", "a b", `${handle}-missing`))),
          capturedAt: req(captureDate, hostileDate),
          followers: req(ingestCount, intLike),
          following: req(ingestCount, intLike),
          posts: req(ingestCount, intLike),
        }),
      );
      return inputArg(inputObject({ rows: req(fc.array(valid, { minLength: 1, maxLength: 5 }), hostileRows(hostile, valid)) }));
    },
    example: { input: { rows: [{ platform: "INSTAGRAM", handle: "probe", capturedAt: "2026-10-05T00:00:00Z", followers: 1, following: 0, posts: 0 }] } },
  },
];

function notTheActingKey(value: unknown): unknown {
  if ((typeof value === "string" || typeof value === "number") && String(value).trim() === String(fx.adminKeyId)) return "0";
  return value;
}

// ------------------------------------------------------------------------------------------------ requests

/** Who sends the request: mostly the organization's ADMIN key, sometimes weaker, foreign, revoked or no key. */
const actor = fc.oneof(
  { weight: 12, arbitrary: fc.constant("admin") },
  { weight: 2, arbitrary: fc.constant("manager") },
  { weight: 1, arbitrary: fc.constant("analyst") },
  { weight: 1, arbitrary: fc.constant("foreignAdmin") },
  { weight: 1, arbitrary: fc.constant("revoked") },
  { weight: 1, arbitrary: fc.constant("none") },
  { weight: 1, arbitrary: fc.constantFrom("Bearer", "Bearer ig_00000000_" + "A".repeat(43), "Basic YWRtaW46YWRtaW4=", "bearer  x", "Bearer ig_zz_zz", "Bearer ' OR 1=1 --") },
);

function authorization(who: string): string | undefined {
  if (who === "none") return undefined;
  if (who in fx.keys) return `Bearer ${fx.keys[who as keyof Fixtures["keys"]]}`;
  return who;
}

function documentWithVariables(op: Operation, variableTypes: Record<string, string> = op.args): string {
  const defs = Object.entries(variableTypes).map(([name, type]) => `$${name}: ${type}`);
  const call = Object.keys(op.args).map((name) => `${name}: $${name}`);
  return `${op.root === "Mutation" ? "mutation" : "query"} Hostile(${defs.join(", ")}) { ${op.field}(${call.join(", ")}) ${op.selection} }`;
}

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/**
 * Renders a JSON value as a GraphQL literal of `type` (enums bare, strings escaped). Values that have no literal
 * form (keys that are not names) come out malformed on purpose: the server must refuse them as a parse error.
 */
function literal(value: unknown, type: GraphQLInputType | undefined): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (typeof value === "boolean") return String(value);
  const named = type ? getNamedType(type) : undefined;
  if (typeof value === "string") {
    const bareEnum = named && isEnumType(named) && GRAPHQL_NAME.test(value) && !["true", "false", "null"].includes(value);
    return bareEnum ? value : JSON.stringify(value); // JSON string escapes are GraphQL string escapes
  }
  const inner = type && isNonNullType(type) ? type.ofType : type;
  if (Array.isArray(value)) return `[${value.map((item) => literal(item, inner && isListType(inner) ? inner.ofType : undefined)).join(", ")}]`;
  const fields = named && isInputObjectType(named) ? named.getFields() : {};
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([key, item]) => `${key}: ${literal(item, Object.hasOwn(fields, key) ? fields[key]!.type : undefined)}`,
  );
  return `{${entries.join(", ")}}`;
}

function schemaArgs(op: Operation): readonly GraphQLArgument[] {
  const type = op.root === "Mutation" ? schema.getMutationType() : schema.getQueryType();
  return type?.getFields()[op.field]?.args ?? [];
}

function documentWithLiterals(op: Operation, values: Record<string, unknown>): string {
  const args = schemaArgs(op);
  const call = Object.entries(values).map(([name, value]) => `${name}: ${literal(value, args.find((a) => a.name === name)?.type)}`);
  const parens = call.length ? `(${call.join(", ")})` : "";
  return `${op.root === "Mutation" ? "mutation" : "query"} { ${op.field}${parens} ${op.selection} }`;
}

/** Small damage to a document: at position `at` (modulo its length), cut `cut` characters and insert `insert`. */
interface Corruption {
  at: number;
  cut: number;
  insert: string;
}

const corruption = fc.oneof(
  { weight: 8, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.record({
      at: fc.nat(),
      cut: fc.nat({ max: 20 }),
      insert: fc.constantFrom("", "{", "}", "(", ")", ":", "$", "\"", "\"\"\"", "#", "...", "@skip", "!", "[", "\u0000", "\\u"),
    }),
  },
);

function corrupt(doc: string, { at, cut, insert }: Corruption): string {
  const i = at % (doc.length + 1);
  return doc.slice(0, i) + insert + doc.slice(i + cut);
}

type Mode = "variables" | "literal";

interface Call {
  mode: Mode;
  who: string;
  values: Record<string, unknown>;
  corrupt: Corruption | undefined;
}

const callOf = (op: Operation): fc.Arbitrary<Call> =>
  fc.record({
    mode: fc.oneof({ weight: 3, arbitrary: fc.constant<Mode>("variables") }, { weight: 1, arbitrary: fc.constant<Mode>("literal") }),
    who: actor,
    values: op.arbitrary(),
    corrupt: corruption,
  });

/** Properties 1 and 2 for one call. */
async function checkCall(op: Operation, call: Call, options: { argumentNames?: string[]; query?: (op: Operation) => string } = {}) {
  const values = resolveRefs(call.values) as Record<string, unknown>;
  let query = call.mode === "variables" ? documentWithVariables(op) : documentWithLiterals(op, values);
  if (options.query) query = options.query(op);
  if (call.corrupt) query = corrupt(query, call.corrupt);
  const body = JSON.stringify(call.mode === "variables" || options.query ? { query, variables: values } : { query });
  const before = fingerprint();
  const audit = auditRows();
  const reply = await send(body, authorization(call.who));
  const errors = assertTypedAnswer(reply, `as ${call.who}: ${body}`, options);
  const result = reply.body?.data?.[op.field];
  const where = `\nrequest (as ${call.who}): ${clip(body)}\nresponse: ${clip(reply.text)}`;
  if (result !== undefined && result !== null) {
    // Accepted: one audit entry, of this operation, by the caller's organization.
    if (errors.length) throw new Error(`accepted with errors${where}`);
    if (op.audit === null) {
      expect(fingerprint(), `a read changed the database${where}`).toEqual(before);
      return;
    }
    const now = auditRows();
    if (now.n !== audit.n + 1) throw new Error(`accepted, but the audit log grew by ${now.n - audit.n} entries (expected 1)${where}`);
    if (now.last?.action !== op.audit) throw new Error(`accepted, but the audit entry is ${now.last?.action} (expected ${op.audit})${where}`);
    const who = call.who as keyof Fixtures["keys"];
    if (now.last.organization_id !== fx.keyOrgs[who] || now.last.api_key_id !== fx.keyIds[who]) {
      throw new Error(`accepted, but the audit entry names organization ${now.last.organization_id} and key ${now.last.api_key_id}${where}`);
    }
  } else {
    // Refused: nothing written.
    if (errors.length === 0) throw new Error(`no data and no errors${where}`);
    expect(fingerprint(), `a refused call changed the database${where}`).toEqual(before);
  }
  keepActingKey();
}

/**
 * A corrupted inline literal can turn some id into the acting key's (say "12" cut to "1"), and revoking it is a
 * legitimate success once other ADMIN keys exist: put it back, or the rest of the run would be UNAUTHENTICATED.
 */
function keepActingKey(): void {
  server.app.db.$client.prepare("update api_keys set revoked_at = null where id = ? and revoked_at is not null").run(fx.adminKeyId);
}

// ------------------------------------------------------------------------------------------------ the tests

beforeAll(async () => {
  server = await startTestServer();
  fx = seedFixtures();
  const reply = await send(JSON.stringify({ query: getIntrospectionQuery() }), `Bearer ${fx.keys.admin}`);
  schema = buildClientSchema(reply.body!.data as unknown as IntrospectionQuery);
});

afterAll(() => server?.close());

describe("hostile input to every mutation", () => {
  it("has an arbitrary for every mutation field, with the schema's arguments", () => {
    const mutations = Object.values(schema.getMutationType()!.getFields());
    const covered = new Map(OPERATIONS.filter((op) => op.root === "Mutation").map((op) => [op.field, op]));
    expect(mutations.map((m) => m.name).filter((name) => !covered.has(name)), "mutations without an arbitrary in OPERATIONS").toEqual([]);
    for (const op of OPERATIONS) {
      const args = Object.fromEntries(schemaArgs(op).map((arg) => [arg.name, String(arg.type)]));
      expect(args, `arguments of ${op.root}.${op.field}`).toEqual(op.args);
    }
  });

  describe.each(OPERATIONS.map((op) => [op.field, op] as const))("%s", (_name, op) => {
    it(
      "answers only typed errors, and either writes nothing or exactly one audit entry",
      async () => {
        await fc.assert(
          fc.asyncProperty(callOf(op), (call) => checkCall(op, call, { argumentNames: Object.keys(op.args) })),
          { numRuns: RUNS_PER_OPERATION, ...SEED },
        );
      },
      PROPERTY_TIMEOUT_MS,
    );
  });
});

/**
 * Server bugs this file found (now fixed), each kept as its own property so a regression shows by name, without
 * masking other findings of the general properties above.
 */
describe("hostile input: regressions", () => {
  const byName = (name: string) => OPERATIONS.find((op) => op.field === name)!;
  const operationName = fc.constantFrom(...OPERATIONS.map((op) => op.field));

  // Was a bug: the `field` of a variable-coercion error is parsed out of graphql-js's message (server/errors.ts,
  // variableField), which prints object keys unquoted; an unknown input key such as `x at "y"` made the server
  // answer `field: "y"`, a path the client chose instead of the offending input field.
  it(
    "roots BAD_USER_INPUT `field` at the argument, whatever extra keys the input carries",
    async () => {
      const quoted = fc.tuple(fc.string({ maxLength: 4 }), fc.string({ minLength: 1, maxLength: 6 }).filter((s) => !s.includes('"')));
      const key = fc.oneof(hostileKey, quoted.map(([a, b]) => `${a} at "${b}"`));
      const cases = fc.tuple(operationName, fc.dictionary(key, fc.integer(), { minKeys: 1, maxKeys: 2 }));
      await fc.assert(
        fc.asyncProperty(cases, async ([name, extra]) => {
          const op = byName(name);
          // The operation's input object: `input` for mutations, `brief` for discover.
          const argument = Object.keys(op.args)[0]!;
          const hostile = withKeys(op.example[argument] as Record<string, unknown>, extra);
          const call: Call = { mode: "variables", who: "admin", values: { ...op.example, [argument]: hostile }, corrupt: undefined };
          await checkCall(op, call, { argumentNames: Object.keys(op.args) });
        }),
        { numRuns: RUNS_REGRESSION_PROBES, ...SEED },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  // Was a bug: `mutation($input: T = {...})` — a nullable variable with a default, which GraphQL allows in a non-null
  // position — sent with `"input": null` fails in graphql-js's argument coercion during execution with an error
  // that has no code; the error formatter masks it as INTERNAL_SERVER_ERROR instead of BAD_USER_INPUT.
  it(
    "refuses null for a non-null argument given through a nullable variable with a default",
    async () => {
      await fc.assert(
        fc.asyncProperty(operationName, fc.constantFrom("null", "omitted"), async (name, sent) => {
          const op = byName(name);
          const defaults = resolveRefs(op.example) as Record<string, unknown>;
          const args = schemaArgs(op);
          const nullable = Object.fromEntries(
            Object.entries(op.args).map(([arg, type]) => [arg, `${type.replace(/!$/, "")} = ${literal(defaults[arg], args.find((a) => a.name === arg)?.type)}`]),
          );
          const call: Call = { mode: "variables", who: "admin", values: sent === "null" ? { input: null } : {}, corrupt: undefined };
          await checkCall(op, call, { query: (o) => documentWithVariables(o, nullable) });
        }),
        { numRuns: RUNS_REGRESSION_PROBES, ...SEED },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  // Was a bug: past 50 invalid values in the variables, graphql-js stops with "Too many errors processing variables,
  // error limit reached", an error without a code (Apollo only types the per-value errors); the formatter masked it
  // as INTERNAL_SERVER_ERROR (status 400) after 50 BAD_USER_INPUT errors.
  it(
    "answers a flood of invalid list items with typed errors",
    async () => {
      const flood = fc.oneof(
        fc.array(fc.constantFrom("NOPE", "fitness", "", 1, null), { minLength: 51, maxLength: 60 }).map((categories) => ({ categories })),
        fc.array(fc.constantFrom(1, true, {}), { minLength: 51, maxLength: 60 }).map((targetCountries) => ({ targetCountries })),
        fc.array(fc.constant({ dimension: "NOPE", key: 1, minShare: "x" }), { minLength: 17, maxLength: 20 }).map((audienceTargets) => ({ audienceTargets })),
      );
      const base = {
        createCampaign: { name: "Flood", objective: "AWARENESS", budget: { amountMinor: 1, currency: "USD" } },
        updateCampaign: { id: "0" },
      };
      await fc.assert(
        fc.asyncProperty(fc.constantFrom("createCampaign", "updateCampaign" as const), flood, async (name, lists) => {
          const call: Call = { mode: "variables", who: "admin", values: { input: { ...base[name], ...lists } }, corrupt: undefined };
          await checkCall(byName(name), call);
        }),
        { numRuns: RUNS_REGRESSION_PROBES, ...SEED },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  // Was a bug: the schema has no Subscription type, and graphql-js validation does not refuse a `subscription`
  // operation; execution then fails with "Schema is not configured to execute subscription operation.", an error
  // without a code, masked as INTERNAL_SERVER_ERROR (HTTP 200).
  it(
    "refuses an operation type the schema does not have with a typed error",
    async () => {
      const selection = fc.constantFrom("{ __typename }", "{ viewer { apiKey { id } } }", "{ campaigns { totalCount } }", "{ nope }", "");
      await fc.assert(
        fc.asyncProperty(selection, fc.constantFrom("subscription", "subscription S"), actor, async (sel, keyword, who) => {
          const body = JSON.stringify({ query: `${keyword} ${sel}` });
          const before = fingerprint();
          const reply = await send(body, authorization(who));
          assertTypedAnswer(reply, `as ${who}: ${body}`);
          expect(fingerprint()).toEqual(before);
        }),
        { numRuns: RUNS_REGRESSION_PROBES, ...SEED },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe("fuzzed documents and request bodies", () => {
  const TOKENS = [
    "{", "}", "(", ")", "[", "]", ":", "!", "=", "$", "$input", "...", "@", "@include(if: true)", "@skip(if: $x)", "|", "&",
    "query", "mutation", "subscription", "fragment", "on", "F", "Query", "Mutation", "schema", "type", "input", "extend",
    "viewer", "campaigns", "campaign", "influencers", "collaboration", "auditLog", "apiKeys", "createCampaign",
    "archiveCampaign", "revokeApiKey", "__typename", "__schema", "__type", "edges", "node", "id", "name", "first", "after",
    "id: \"0\"", "input: {id: \"0\"}", "first: 1000", "first: -1", "first: 99999999999999999999", "1.5e309", "-0", "0x1F",
    "\"str\"", "\"\"\"block\"\"\"", "\"\\u0000\"", "\"\\uD800\"", "\"unterminated", "#comment\n", "\u0000", "\uFEFF", "😀", "null", "true",
  ];
  const tokenSoup = fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...TOKENS) }, { weight: 1, arbitrary: shortString }), { maxLength: 60 }).map((t) => t.join(" "));

  // Read-only or refused by construction: no valid id appears, so the database must not change.
  const NEST = "campaigns(first: 2) { edges { node { collaborations(first: 2) { edges { node { campaign { ";
  const structured = fc.oneof(
    fc.integer({ min: 1, max: 60 }).map((n) => `{ ${NEST.repeat(n)}id${" } } } } } } }".repeat(n)} }`),
    fc.integer({ min: 1, max: 3_000 }).map((n) => `{ viewer { organization { id } } ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(" ")} }`),
    fc.integer({ min: 1, max: 80 }).map((n) => `mutation { ${Array.from({ length: n }, (_, i) => `m${i}: archiveCampaign(input: {id: "0"}) { id }`).join(" ")} }`),
    fc.integer({ min: 1, max: 5_000 }).map((n) => `{ ${"__typename ".repeat(n)}}`),
    fc.integer({ min: 10, max: 20_000 }).map((n) => `{ ${"a { ".repeat(n)}`),
    fc.integer({ min: 1, max: 2_000 }).map((n) => `{ campaigns(filter: { search: ${"[".repeat(n)}"x"${"]".repeat(n)} }) { totalCount } }`),
    fc.constantFrom(
      "query A { viewer { apiKey { id } } } query A { viewer { apiKey { id } } }",
      "query { ...F } fragment F on Query { ...G } fragment G on Query { ...F }",
      "{ viewer @unknown { apiKey { id } } }",
      "query($x: Int = \"str\") { __typename }",
      "query($first: Int) { campaigns(first: $first) { totalCount } }",
      "query($id: ID!) { campaign(id: $id) { id } }",
      "query($f: CampaignFilter) { campaigns(filter: $f) { totalCount } }",
      "{ influencers(first: 1000) { edges { node { accounts { recentPosts(first: 50) { id } } } } } }",
      "{ campaigns(first: -1) { totalCount } }",
      "{ campaigns(after: \"not-a-cursor\") { totalCount } }",
      "{ auditLog(filter: { since: \"0000-01-01T00:00:00Z\", entityId: \"1e3\" }) { totalCount } }",
      "",
      " ",
    ),
  );
  const variables = fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    {
      weight: 2,
      arbitrary: fc.record(
        {
          first: orWrong(intLike),
          id: fc.oneof(myId("campaign"), hostileId("campaign")),
          f: orWrong(inputObject({ search: opt(validText, anyString), statuses: listField(hostileEnum(CAMPAIGN_STATUSES), fc.constantFrom(...CAMPAIGN_STATUSES)) })),
          x: wrongJson,
        },
        { requiredKeys: [] },
      ),
    },
    { weight: 1, arbitrary: wrongJson },
  );

  it(
    "answers fuzzed query text with typed errors only, and changes nothing",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(tokenSoup, structured), variables, actor, async (query, vars, who) => {
          const body = JSON.stringify({ query, variables: resolveRefs(vars) });
          const before = fingerprint();
          const reply = await send(body, authorization(who));
          assertTypedAnswer(reply, `as ${who}: ${body}`);
          expect(fingerprint(), `the database changed\nrequest: ${clip(body)}\nresponse: ${clip(reply.text)}`).toEqual(before);
        }),
        { numRuns: RUNS_QUERY_FUZZ, ...SEED },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    "answers malformed request bodies with typed errors only",
    async () => {
      const json = fc.oneof(
        fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
        fc.record(
          { query: orWrong(fc.constant("{ __typename }")), variables: wrongJson, operationName: orWrong(shortString), extensions: wrongJson },
          { requiredKeys: [] },
        ).map((v) => JSON.stringify(v)),
        fc.constantFrom("", "{", "[]", "[{\"query\":\"{ __typename }\"}]", "null", "\"{ __typename }\"", "{\"query\":\"{ __typename }\"", "\u0000", "{\"query\": \"{ __typename }\", \"variables\": \"{}\"}"),
        fc.integer({ min: 1, max: 100_000 }).map((n) => `${"[".repeat(n)}${"]".repeat(n)}`),
        fc.string({ unit: "binary", maxLength: 50 }),
      );
      await fc.assert(
        fc.asyncProperty(json, actor, async (body, who) => {
          const before = fingerprint();
          const reply = await send(body, authorization(who));
          assertTypedAnswer(reply, `as ${who}: ${body}`);
          expect(fingerprint()).toEqual(before);
        }),
        { numRuns: RUNS_BODY_FUZZ, ...SEED },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe("afterwards", () => {
  it("the server still answers a normal query", async () => {
    const reply = await send(JSON.stringify({ query: "{ viewer { organization { id } } campaigns(first: 1) { totalCount } }" }), `Bearer ${fx.keys.admin}`);
    expect(reply.status).toBe(200);
    expect(reply.body?.errors).toBeUndefined();
    expect(reply.body?.data).toMatchObject({ viewer: { organization: { id: String(fx.orgA) } } });
    const health = await fetch(new URL("/health", server.url));
    expect(health.status).toBe(200);
  });
});
