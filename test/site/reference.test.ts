/**
 * The built API reference documents every type, field, argument and enum value of schema/schema.graphql, with its
 * description, in both languages, and every type name in it links to that type's definition.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { buildSchema, extendSchema, parse } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";

import { ROOT, builtPages, builtSite, pageHtml } from "./support/build.js";
import { referenceEntries, referenceGaps, schemaCoordinates } from "./support/reference-check.js";

const sdl = readFileSync(join(ROOT, "schema/schema.graphql"), "utf8");
const schema = buildSchema(sdl);
let dist: string;
const referencePages = (prefix: "" | "/zh-tw") => builtPages(dist).filter((p) => p.startsWith(`${prefix}/reference/`));

beforeAll(async () => {
  dist = (await builtSite()).dist;
}, 300_000);

describe("the built API reference", () => {
  it.each(["", "/zh-tw"] as const)("documents every definition of the schema with its description (%s)", (prefix) => {
    const pages = referencePages(prefix);
    expect(pages.map((p) => p.slice(prefix.length))).toEqual(
      ["/reference/", "/reference/enums/", "/reference/inputs/", "/reference/mutations/", "/reference/objects/", "/reference/queries/", "/reference/scalars/"],
    );
    const html = pages.map((p) => pageHtml(dist, p));
    expect(referenceGaps(schema, html)).toEqual([]);
    // Hundreds of entries, not a handful: the check above has something to check.
    expect(schemaCoordinates(schema).length).toBeGreaterThan(500);
  });

  it("links every type name to its definition", () => {
    const pages = referencePages("");
    const ids = new Map(pages.map((p) => [p, new Set([...pageHtml(dist, p).matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!))]));
    let links = 0;
    for (const page of pages) {
      for (const m of pageHtml(dist, page).matchAll(/href="(\/reference\/[a-z]+\/)#([^"]+)"/g)) {
        links++;
        expect(ids.get(m[1]!)?.has(m[2]!), `${page} links to ${m[1]}#${m[2]}`).toBe(true);
      }
    }
    expect(links).toBeGreaterThan(500);
    // A field's type is a link: Influencer.accounts is a list of SocialAccount.
    const accounts = referenceEntries([pageHtml(dist, "/reference/objects/")]);
    expect(accounts.get("Influencer.accounts")).toContain("accounts: [SocialAccount!]!");
    expect(pageHtml(dist, "/reference/objects/")).toMatch(/data-ref="Influencer\.accounts"><code><a href="#influencer-accounts">accounts<\/a>: \[<a href="\/reference\/objects\/#socialaccount">SocialAccount<\/a>!\]!/);
  });

  it("shows the example operations beside the root fields they use", () => {
    const section = (page: string, ref: string) =>
      new RegExp(`<section class="ig-entry" data-ref="${ref.replace(".", "\\.")}">([\\s\\S]*?)</section>`).exec(pageHtml(dist, page))?.[1] ?? "";
    expect(section("/reference/queries/", "Query.discover")).toContain("site/examples/discover.graphql");
    expect(section("/reference/queries/", "Query.discover")).toContain("keywords: &quot;fitness&quot;");
    expect(section("/reference/mutations/", "Mutation.createCampaign")).toContain("site/examples/create-campaign.graphql");
    expect(section("/reference/queries/", "Query.viewer")).toContain("site/examples/viewer.graphql");
  });
});

describe("the completeness check", () => {
  it("fails when a type of the schema is missing from the reference", () => {
    const html = referencePages("").map((p) => pageHtml(dist, p));
    const extended = extendSchema(schema, parse(`"A type the reference has never seen." type Unseen { "Its only field." only: Int }`));
    expect(referenceGaps(extended, html)).toEqual(["Unseen: missing", "Unseen.only: missing"]);
  });

  it("fails when a type's entry is removed from the built pages, or its description changes", () => {
    const objects = pageHtml(dist, "/reference/objects/");
    const without = objects.replace(/<section class="ig-entry" data-ref="Influencer">[\s\S]*?<\/section>/, "");
    expect(without).not.toBe(objects);
    const gaps = referenceGaps(schema, [without]);
    expect(gaps).toContain("Influencer: missing");
    expect(gaps).toContain("Influencer.accounts: missing");
    const changed = objects.replace("An account's recent activity", "Some account's activity");
    expect(referenceGaps(schema, [changed])).toContain("AccountActivity: description missing");
  });
});
