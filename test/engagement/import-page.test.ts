/** The import page documents every row type and field, and the limits and defaults the code applies. */
import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { AGE_BANDS, AUDIENCE_DIMENSIONS, CATEGORIES, GENDERS, PLATFORMS, POST_KINDS } from "../../schema/enums.js";
import { CSV_COLUMNS, CSV_REQUIRED_COLUMNS, LIMITS, REQUIRED_METRIC_COUNTERS, ROW_FIELDS, ROW_TYPES } from "../../server/engagement/ingest.rows.js";
import { MAX_ROWS_PER_CALL } from "../../server/engagement/ingest.service.js";
import { DEFAULT_BATCH_SIZE, READ_CHUNK_ROWS } from "../../server/engagement/import.js";

const page = readFileSync(new URL("../../site/src/content/docs/import.md", import.meta.url), "utf8");
const fmt = (n: number) => n.toLocaleString("en");
const list = (values: readonly string[]) => values.map((v) => `\`${v}\``);

/** The section of a `### \`type\`` heading, up to the next heading. */
function section(type: string): string {
  const start = page.indexOf(`### \`${type}\`\n`);
  expect(start, `a "### \`${type}\`" section`).toBeGreaterThanOrEqual(0);
  const end = page.slice(start + 1).search(/\n##+ /);
  return page.slice(start, end < 0 ? undefined : start + 1 + end);
}

describe("site/src/content/docs/import.md", () => {
  it("has the frontmatter of a Starlight page", () => {
    expect(page).toMatch(/^---\ntitle: .+\ndescription: .+\n---\n/);
  });

  it("documents every row type with exactly its fields, in order, and which are required", () => {
    for (const type of ROW_TYPES) {
      const rows = [...section(type).matchAll(/^\| `(\w+)` \| (yes|no) \| .+ \|$/gm)];
      expect(rows.map((r) => r[1]), `fields of ${type}`).toEqual(ROW_FIELDS[type]);
      if (type === "post_metrics") {
        const required = rows.filter((r) => r[2] === "yes").map((r) => r[1]);
        expect(required).toEqual(["platform", "externalId", "capturedAt", ...REQUIRED_METRIC_COUNTERS]);
      }
    }
    expect(section("post_metrics")).toContain("default 0");
  });

  it("lists every value of the vocabularies the rows take", () => {
    for (const value of [...list(PLATFORMS), ...list(CATEGORIES), ...list(POST_KINDS), ...list(AUDIENCE_DIMENSIONS), ...list(AGE_BANDS), ...list(GENDERS)]) {
      expect(page).toContain(value);
    }
  });

  it("states the limits and defaults the code applies", () => {
    expect(page).toContain(`rows per transaction; default ${fmt(DEFAULT_BATCH_SIZE)}`);
    expect(page).toContain(`pieces of ${fmt(READ_CHUNK_ROWS)}`);
    expect(page).toContain(`1 to ${fmt(MAX_ROWS_PER_CALL)} per call`);
    expect(page).toContain(`up to ${LIMITS.refLength} characters`);
    expect(page).toContain(`at most ${LIMITS.audienceKeys} keys`);
    expect(page).toContain(`up to ${LIMITS.hashtags} hashtags`);
    expect(page).toContain(`up to ${fmt(LIMITS.captionLength)} characters`);
  });

  it("names the CSV columns, required and optional", () => {
    const csv = page.slice(page.indexOf("## CSV")).replace(/\s+/g, " ");
    for (const column of CSV_COLUMNS) expect(csv).toContain(`\`${column}\``);
    expect(csv).toContain(`${list(CSV_REQUIRED_COLUMNS.slice(0, -1)).join(", ")} and \`${CSV_REQUIRED_COLUMNS.at(-1)}\``);
  });

  it("gives the exit codes", () => {
    for (const code of ["0", "1", "2"]) expect(page).toMatch(new RegExp(`^\\| \`${code}\` \\| `, "m"));
  });
});
