/** The ingestion row formats (pure): validation per row type, the time parser, the bulk fast path, CSV helpers. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { DateTime } from "../../server/common/scalars.js";
import {
  createMetricsSink,
  csvHeaderProblem,
  csvRecordToRow,
  METRIC_COUNTERS,
  parseIsoDateTime,
  readPostMetrics,
  ROW_FIELDS,
  ROW_TYPES,
  validateRow,
  type PostMetricsRow,
} from "../../server/engagement/ingest.rows.js";

const NOW = Date.now();

const metrics = (fields: Record<string, unknown> = {}) => ({
  type: "post_metrics",
  platform: "INSTAGRAM",
  externalId: "ig_1",
  capturedAt: "2026-10-02T10:00:00Z",
  likes: 500,
  comments: 20,
  ...fields,
});

/** The problems of a refused row, as { field: reason }. */
function refused(value: unknown): Record<string, string> {
  const result = validateRow(value);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.row)}`);
  return Object.fromEntries(result.problems.map((p) => [p.field, p.reason]));
}

function accepted(value: unknown) {
  const result = validateRow(value);
  if (!result.ok) throw new Error(`expected the row to pass, got ${JSON.stringify(result.problems)}`);
  return result.row;
}

describe("parseIsoDateTime", () => {
  it.each([
    ["2026-11-01T09:30:00Z", Date.UTC(2026, 10, 1, 9, 30)],
    ["2026-11-01T09:30Z", Date.UTC(2026, 10, 1, 9, 30)],
    ["2026-11-01T10:30:00.250+01:00", Date.UTC(2026, 10, 1, 9, 30, 0, 250)],
    ["2026-11-01T00:00:00.123456789Z", Date.UTC(2026, 10, 1, 0, 0, 0, 123)],
    ["2026-11-01T00:00:00.5-02:30", Date.UTC(2026, 10, 1, 2, 30, 0, 500)],
    ["2028-02-29T12:00:00Z", Date.UTC(2028, 1, 29, 12)],
  ])("reads %s", (text, ms) => {
    expect(parseIsoDateTime(text)).toBe(ms);
  });

  it.each([
    "2026-11-01",
    "2026-11-01T09:30:00",
    "2026-11-01 09:30:00Z",
    "2026-02-29T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-11-31T00:00:00Z",
    "2026-11-01T24:00:00Z",
    "2026-11-01T00:60:00Z",
    "2026-11-01T00:00:60Z",
    "2026-11-01T00:00:00.Z",
    "2026-11-01T00:00:00.1234567891Z",
    "2026-11-01T00:00:00+15:00",
    "2026-11-01T00:00:00+14:60",
    "2026-11-01T00:00:00z",
    "2026-11-01T00:00:00Zx",
    "２０２６-11-01T00:00:00Z",
    "",
  ])("refuses %j", (text) => {
    expect(parseIsoDateTime(text)).toBeNull();
  });

  it("agrees with the API's DateTime scalar on what it accepts and the moment it means", () => {
    const digits = (n: number, width: number) => String(n).padStart(width, "0");
    const stamp = fc
      .tuple(
        fc.integer({ min: 1990, max: 2040 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 24 }),
        fc.integer({ min: 0, max: 60 }),
        fc.option(fc.integer({ min: 0, max: 60 })),
        fc.option(fc.stringMatching(/^\d{1,10}$/)),
        fc.constantFrom("Z", "+01:00", "-05:30", "+14:00", "+15:00", "", "z", "+1:00"),
      )
      .map(([y, mo, d, h, mi, s, frac, zone]) => {
        const seconds = s === null ? "" : `:${digits(s, 2)}${frac === null ? "" : `.${frac}`}`;
        return `${digits(y, 4)}-${digits(mo, 2)}-${digits(d, 2)}T${digits(h, 2)}:${digits(mi, 2)}${seconds}${zone}`;
      });
    fc.assert(
      fc.property(stamp, (text) => {
        let scalar: number | null;
        try {
          scalar = (DateTime.parseValue(text) as Date).getTime();
        } catch {
          scalar = null;
        }
        expect(parseIsoDateTime(text)).toBe(scalar);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("validateRow", () => {
  it("knows the seven row types and their fields", () => {
    expect(ROW_TYPES).toEqual(["influencer", "account", "audience", "account_snapshot", "post", "post_metrics", "conversion"]);
    expect(Object.keys(ROW_FIELDS)).toEqual([...ROW_TYPES]);
  });

  it("refuses a row without a known type, and what is not an object", () => {
    expect(refused({ ref: "x" })).toEqual({ type: "type is required" });
    expect(refused({ type: "influencers" }).type).toMatch(/^type must be one of influencer, account, .* \(got "influencers"\)$/);
    expect(refused([1])).toEqual({ "": "a row must be a JSON object (got [1])" });
    expect(refused(null)).toEqual({ "": "a row must be a JSON object (got null)" });
  });

  it("refuses unknown fields by name (a typo must not pass silently)", () => {
    expect(refused(metrics({ like: 3 }))).toEqual({ like: 'unknown field "like"' });
  });

  it("influencer: trims the name, defaults bio and categories, sorts and dedupes categories", () => {
    expect(accepted({ type: "influencer", ref: "r1", name: " Ana ", country: "BR", language: "pt", categories: ["TRAVEL", "FITNESS", "TRAVEL"] })).toEqual({
      type: "influencer",
      ref: "r1",
      name: "Ana",
      bio: "",
      country: "BR",
      language: "pt",
      categories: ["FITNESS", "TRAVEL"],
    });
    expect(refused({ type: "influencer", ref: " ", name: "", country: "br", language: "PT", categories: ["RUNNING"] })).toEqual({
      ref: 'ref must not be empty (got " ")',
      name: 'name must not be empty (got "")',
      country: 'country must be an ISO 3166-1 alpha-2 code in upper case, such as US (got "br")',
      language: 'language must be an ISO 639-1 code in lower case, such as en (got "PT")',
      "categories.0": expect.stringMatching(/^categories\.0 must be one of BEAUTY, .* \(got "RUNNING"\)$/),
    });
  });

  it("account: lower-cases the handle and drops its @; counters are whole numbers, 0 or more", () => {
    const row = accepted({ type: "account", influencer: "r1", platform: "TIKTOK", handle: " @Ana.Runs ", followers: 10, following: 0, posts: 3 });
    expect(row).toMatchObject({ handle: "ana.runs", verified: false });
    expect(refused({ type: "account", influencer: "r1", platform: "tiktok", handle: "a b", followers: -1, following: 1.5, posts: "3" })).toEqual({
      platform: 'platform must be one of INSTAGRAM, TIKTOK, YOUTUBE, X, TWITCH (got "tiktok")',
      handle: 'handle must not contain spaces, control characters or a second @ (got "a b")',
      followers: "followers must not be negative (got -1)",
      following: "following must be a whole number (got 1.5)",
      posts: 'posts must be a number (got "3")',
    });
  });

  it("audience: keys checked per dimension, shares are fractions adding up to at most 1, sorted by key", () => {
    expect(accepted({ type: "audience", platform: "X", handle: "a", dimension: "AGE", shares: { "25-34": 0.5, "18-24": 0.3 } })).toMatchObject({
      shares: [
        ["18-24", 0.3],
        ["25-34", 0.5],
      ],
    });
    expect(refused({ type: "audience", platform: "X", handle: "a", dimension: "COUNTRY", shares: { US: 0.5, FR: 1.5 } })).toEqual({
      "shares.FR": "shares.FR must be a fraction from 0 to 1 (got 1.5)",
    });
    expect(refused({ type: "audience", platform: "X", handle: "a", dimension: "COUNTRY", shares: { us: 0.5, FR: 0.6 } })).toEqual({
      "shares.us": 'shares.us is not a COUNTRY key (ISO 3166-1 alpha-2 in upper case, such as US) (got "us")',
      shares: "shares must add up to at most 1 (got 1.1)",
    });
  });

  it("post: normalises hashtags, takes http(s) URLs, campaignId is optional", () => {
    const row = accepted({
      type: "post",
      platform: "INSTAGRAM",
      handle: "a",
      externalId: "p1",
      publishedAt: "2026-10-01T10:00:00+02:00",
      kind: "REEL",
      hashtags: ["#Run", "run", "Trail"],
    });
    expect(row).toMatchObject({ publishedAt: Date.UTC(2026, 9, 1, 8), hashtags: ["run", "trail"], caption: "", url: null, campaignId: null });
    expect(
      refused({ type: "post", platform: "INSTAGRAM", handle: "a", externalId: "p1", publishedAt: "yesterday", kind: "SELFIE", url: "javascript:alert(1)", campaignId: 0 }),
    ).toEqual({
      publishedAt: 'publishedAt must be an ISO 8601 date and time with a zone, e.g. 2026-11-01T09:30:00Z (got "yesterday")',
      kind: expect.stringMatching(/^kind must be one of PHOTO, .* \(got "SELFIE"\)$/),
      url: 'url must be an http(s) URL (got "javascript:alert(1)")',
      campaignId: "campaignId must be a campaign id (a positive whole number) (got 0)",
    });
  });

  it("times lie from 2000 to one day after now", () => {
    expect(refused(metrics({ capturedAt: "1999-12-31T23:59:59Z" }))).toEqual({
      capturedAt: 'capturedAt must be from 2000-01-01 to tomorrow (UTC) (got "1999-12-31T23:59:59Z")',
    });
    const later = new Date(NOW + 2 * 86_400_000).toISOString();
    expect(refused(metrics({ capturedAt: later })).capturedAt).toMatch(/^capturedAt must be from 2000-01-01 to tomorrow/);
    expect(accepted(metrics({ capturedAt: new Date(NOW + 3_600_000).toISOString() }))).toBeTruthy();
  });

  it("post_metrics: likes and comments are required, the other counters default to 0", () => {
    expect(accepted(metrics())).toEqual({
      type: "post_metrics",
      platform: "INSTAGRAM",
      externalId: "ig_1",
      capturedAt: Date.UTC(2026, 9, 2, 10),
      likes: 500,
      comments: 20,
      shares: 0,
      saves: 0,
      views: 0,
      reach: 0,
      impressions: 0,
    });
    expect(refused({ type: "post_metrics", platform: "INSTAGRAM", externalId: "x", capturedAt: "2026-10-02T10:00:00Z" })).toEqual({
      likes: "likes is required",
      comments: "comments is required",
    });
    expect(refused(metrics({ views: 2 ** 53 }))).toEqual({ views: `views is too large (got ${2 ** 53})` });
  });

  it("conversion: promo codes in upper case, revenue in integer minor units", () => {
    expect(accepted({ type: "conversion", promoCode: "spring-10", at: "2026-10-02T10:00:00Z", orders: 2, revenue: 4_998, currency: "EUR" })).toEqual({
      type: "conversion",
      promoCode: "SPRING-10",
      at: Date.UTC(2026, 9, 2, 10),
      orders: 2,
      revenue: 4_998,
      currency: "EUR",
    });
    expect(refused({ type: "conversion", promoCode: "a b", at: "2026-10-02T10:00:00Z", orders: 1, revenue: 49.98, currency: "eur" })).toEqual({
      promoCode: 'promoCode must be 3 to 40 letters, digits, - or _ (got "a b")',
      revenue: "revenue must be a whole number (got 49.98)",
      currency: 'currency must be an ISO 4217 code in upper case, such as USD (got "eur")',
    });
  });

  it("takes GraphQL's Dates for times, with the type given by the caller", () => {
    const result = validateRow({ platform: "X", handle: "@A", capturedAt: new Date("2026-10-02T00:00:00Z"), followers: 1, following: 2, posts: 3 }, "account_snapshot");
    expect(result).toEqual({
      ok: true,
      row: { type: "account_snapshot", platform: "X", handle: "a", capturedAt: Date.UTC(2026, 9, 2), followers: 1, following: 2, posts: 3 },
    });
  });
});

describe("readPostMetrics (the bulk fast path)", () => {
  const counter = fc.oneof(
    { weight: 6, arbitrary: fc.nat({ max: 1_000_000 }) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(-1, 1.5, 2 ** 53, "3", null, undefined, Number.NaN, true) },
  );
  const value = fc.record(
    {
      type: fc.constantFrom<unknown>("post_metrics", "post_metrics", "post"),
      platform: fc.constantFrom<unknown>("INSTAGRAM", "TIKTOK", "instagram", "MYSPACE", 3),
      externalId: fc.oneof(fc.string({ minLength: 0, maxLength: 8 }), fc.constantFrom<unknown>(" x", "x ", "x".repeat(201), 7)),
      capturedAt: fc.oneof(
        fc.date({ min: new Date("1999-06-01T00:00:00Z"), max: new Date(NOW + 3 * 86_400_000), noInvalidDate: true }).map((d) => d.toISOString()),
        fc.constantFrom<unknown>("2026-10-02T10:00:00+02:00", "2026-10-02", "2026-02-30T00:00:00Z", 1_790_000_000_000),
      ),
      ...Object.fromEntries(METRIC_COUNTERS.map((c) => [c, counter])),
      extra: fc.constant(1),
    },
    { requiredKeys: ["type", "platform", "externalId", "capturedAt"] },
  );

  it("never accepts a row validateRow refuses, and reads accepted rows to the same values", () => {
    const sink = createMetricsSink(1);
    fc.assert(
      fc.property(value, (row) => {
        const fast = readPostMetrics(row as Record<string, unknown>, sink, 0, NOW);
        const slow = validateRow(row);
        if (!fast) return;
        expect(slow.ok, JSON.stringify(row)).toBe(true);
        const expected = (slow as { row: PostMetricsRow }).row;
        expect(["INSTAGRAM", "TIKTOK", "YOUTUBE", "X", "TWITCH"][sink.platform[0]!]).toBe(expected.platform);
        expect(sink.externalId[0]).toBe(expected.externalId);
        expect(sink.capturedAt[0]).toBe(expected.capturedAt);
        expect([...sink.counters.subarray(0, 7)]).toEqual(METRIC_COUNTERS.map((c) => expected[c]));
      }),
      { numRuns: 5_000 },
    );
  });

  it("takes the ordinary row (so the bulk case does not fall back to the schema)", () => {
    const sink = createMetricsSink(2);
    expect(readPostMetrics(metrics(), sink, 1, NOW)).toBe(true);
    expect(readPostMetrics(metrics({ shares: 1, saves: 2, views: 3, reach: 4, impressions: 5 }), sink, 1, NOW)).toBe(true);
    expect([...sink.counters.subarray(7, 14)]).toEqual([500, 20, 1, 2, 3, 4, 5]);
  });
});

describe("CSV", () => {
  it("checks the header: known columns, once each, the required ones present", () => {
    expect(csvHeaderProblem(["platform", "externalId", "capturedAt", "likes", "comments"])).toBeNull();
    expect(csvHeaderProblem(["capturedAt", "platform", "likes", "externalId", "comments", "views"])).toBeNull();
    expect(csvHeaderProblem(["platform", "externalId", "capturedAt", "likes", "comments", "type"])).toBe('unknown column "type"');
    expect(csvHeaderProblem(["platform", "externalId", "capturedAt", "likes", "likes", "comments"])).toBe('column "likes" appears twice');
    expect(csvHeaderProblem(["platform", "externalId", "likes"])).toBe("missing columns capturedAt, comments");
  });

  it("turns a record into a post_metrics row: digits become numbers, empty optional counters are left out", () => {
    const header = ["platform", "externalId", "capturedAt", "likes", "comments", "views"];
    expect(csvRecordToRow(header, ["X", "0012", "2026-10-02T10:00:00Z", "12", "3", ""])).toEqual({
      type: "post_metrics",
      platform: "X",
      externalId: "0012",
      capturedAt: "2026-10-02T10:00:00Z",
      likes: 12,
      comments: 3,
    });
    expect(refused(csvRecordToRow(header, ["X", "1", "2026-10-02T10:00:00Z", "1e3", "", "7"]))).toEqual({
      likes: 'likes must be a number (got "1e3")',
      comments: 'comments must be a number (got "")',
    });
  });
});
