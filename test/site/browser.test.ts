/**
 * The built site as a reader meets it: served as static files on 127.0.0.1 and read in Debian's Chromium. Every
 * page is visited by following links from the home page; each must load without console errors or failed
 * requests, pass axe-core with no serious or critical violation, and link only to pages and anchors that exist.
 * Search, the language switcher and the headline chart are used as a reader would use them.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { MARKET } from "../../site/src/lib/market.js";
import { launchBrowser, type Browser } from "./support/browser.js";
import { ARTIFACTS, ROOT, builtPages, builtSite, type Build } from "./support/build.js";
import { serveSite, type StaticSite } from "./support/serve.js";

// The callbacks given to page.evaluate run in the page, not in Node. The project type-checks without the DOM
// library (adding it would change Node's globals for every file), so the few browser globals they use are declared
// here, for this file only.
declare const document: { querySelectorAll(selector: string): Iterable<{ id: string; getAttribute(name: string): string | null }> };
declare const window: unknown;
declare const location: { href: string };

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface Visit {
  path: string;
  status: number;
  errors: string[];
  ids: Set<string>;
  links: string[];
  violations: { id: string; impact: string; help: string; nodes: string[] }[];
}

let build: Build;
let site: StaticSite;
let browser: Browser;
let page: Page;
const visits = new Map<string, Visit>();
let problems: string[] = [];

/** Loads a page and records what a reader's browser would complain about. */
async function visit(path: string): Promise<Visit> {
  const errors: string[] = [];
  const onConsole = (m: { type(): string; text(): string }) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  };
  const onPageError = (e: Error) => errors.push(`page error: ${e.message}`);
  const onResponse = (r: { url(): string; status(): number }) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
  };
  page.on("console", onConsole);
  page.on("pageerror", onPageError);
  page.on("response", onResponse);
  try {
    const response = await page.goto(site.origin + path, { waitUntil: "load" });
    const { ids, links } = await page.evaluate(() => ({
      ids: [...document.querySelectorAll("[id]")].map((e) => e.id),
      // Links, and the pages the language switcher (a <select>) goes to.
      links: [
        ...[...document.querySelectorAll("a[href]")].map((a) => (a as unknown as { href: string }).href),
        ...[...document.querySelectorAll("starlight-lang-select option")].map((o) => new URL((o as unknown as { value: string }).value, location.href).href),
      ],
    }));
    await page.addScriptTag({ content: AXE });
    const result = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: typeof document, options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
      return axe.run(document, { resultTypes: ["violations"] });
    });
    return {
      path,
      status: response?.status() ?? 0,
      errors,
      ids: new Set(ids),
      links,
      violations: result.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => ({ id: v.id, impact: v.impact!, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) })),
    };
  } finally {
    page.off("console", onConsole);
    page.off("pageerror", onPageError);
    page.off("response", onResponse);
  }
}

beforeAll(async () => {
  browser = await launchBrowser(); // first: without Chromium, say so before spending time on a build
  build = await builtSite();
  site = await serveSite(build.dist);
  page = await browser.context.newPage();
  // Breadth-first from the home page, following every link to this site.
  const queue = ["/"];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const path = queue.shift()!;
    const v = await visit(path);
    visits.set(path, v);
    for (const href of v.links) {
      const url = new URL(href);
      if (url.origin !== site.origin) continue;
      const target = decodeURI(url.pathname);
      if (!seen.has(target) && (target.endsWith("/") || target.endsWith(".html"))) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe("every page", () => {
  it("is reached by following links from the home page", () => {
    const built = builtPages(build.dist);
    expect(built.length).toBeGreaterThan(40);
    expect(built.filter((p) => !visits.has(p))).toEqual([]);
  });

  it("loads with HTTP 200, without console errors or failed requests", () => {
    problems = [...visits.values()].flatMap((v) => [...(v.status === 200 ? [] : [`${v.path}: HTTP ${v.status}`]), ...v.errors.map((e) => `${v.path}: ${e}`)]);
    expect(problems).toEqual([]);
  });

  it("links only to pages and anchors that exist", async () => {
    const broken: string[] = [];
    let checked = 0;
    for (const v of visits.values()) {
      for (const href of v.links) {
        const url = new URL(href);
        if (url.origin !== site.origin) continue;
        checked++;
        const path = decodeURI(url.pathname);
        const target = visits.get(path);
        if (!target) {
          // Not a page (the favicon, the sitemap): it must be served.
          const response = await fetch(site.origin + url.pathname);
          if (response.status !== 200) broken.push(`${v.path} → ${href}: HTTP ${response.status}`);
          continue;
        }
        if (target.status !== 200) broken.push(`${v.path} → ${href}: HTTP ${target.status}`);
        const hash = decodeURIComponent(url.hash.slice(1));
        if (hash && !target.ids.has(hash)) broken.push(`${v.path} → ${href}: no element with id "${hash}"`);
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect(broken).toEqual([]);
  });

  it("has no serious or critical accessibility violation (axe-core)", () => {
    const found = [...visits.values()].flatMap((v) => v.violations.map((x) => `${v.path}: ${x.impact} ${x.id} (${x.help}) at ${x.nodes.join(", ")}`));
    expect(found).toEqual([]);
  });

  it("has no serious or critical accessibility violation in the dark theme either, where the chart and reference use theme colours", async () => {
    await page.goto(site.origin + "/");
    await page.evaluate(() => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem("starlight-theme", "dark"));
    try {
      const found: string[] = [];
      for (const path of ["/", "/research/", "/zh-tw/research/", "/reference/objects/", "/guides/errors/"]) {
        const v = await visit(path);
        expect(await page.getAttribute("html", "data-theme")).toBe("dark");
        found.push(...v.violations.map((x) => `${path}: ${x.impact} ${x.id} (${x.help}) at ${x.nodes.join(", ")}`));
      }
      expect(found).toEqual([]);
    } finally {
      await page.evaluate(() => (globalThis as unknown as { localStorage: { clear(): void } }).localStorage.clear());
    }
  });

  it("includes every example operation on some page", () => {
    const examples = readdirSync(join(ROOT, "site/examples"), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".graphql"))
      .map((f) => f.replace(/\.graphql$/, ""));
    const html = builtPages(build.dist).map((p) => readFileSync(join(build.dist, p, "index.html"), "utf8")).join("");
    expect(examples.filter((e) => !html.includes(`data-example="${e}"`))).toEqual([]);
  });
});

describe("search", () => {
  /** Opens Starlight's search dialog, types the words and returns the result links. */
  async function search(path: string, words: string): Promise<{ href: string; text: string }[]> {
    await page.goto(site.origin + path);
    await page.locator("button[data-open-modal]").click();
    const input = page.locator("dialog[open] input[type=search], dialog[open] .pagefind-ui__search-input").first();
    await input.fill(words);
    await page.locator(".pagefind-ui__result-link").first().waitFor({ timeout: 15_000 });
    return page.$$eval(".pagefind-ui__result", (results) =>
      results.map((r) => ({ href: r.querySelector(".pagefind-ui__result-link")!.getAttribute("href")!, text: r.textContent ?? "" })),
    );
  }

  it('finds "engagement rate" in English, the metrics page among the results', async () => {
    const results = await search("/", "engagement rate");
    expect(results.map((r) => r.href)).toContain("/metrics/");
    expect(results.every((r) => !r.href.startsWith("/zh-tw/"))).toBe(true);
  });

  it("finds 互動率 (engagement rate) in Traditional Chinese, on the Chinese pages", async () => {
    const results = await search("/zh-tw/", "互動率");
    const hrefs = results.map((r) => r.href);
    expect(hrefs.length).toBeGreaterThan(0);
    expect(hrefs.every((h) => h.startsWith("/zh-tw/"))).toBe(true);
    expect(hrefs).toContain("/zh-tw/research/influencer-marketing/");
    expect(results.some((r) => r.text.includes("互動率"))).toBe(true);
  });
});

describe("the language switcher", () => {
  const select = () => page.locator("starlight-lang-select select").first();

  it("moves between English and Traditional Chinese on the same page", async () => {
    await page.goto(site.origin + "/research/segmentation/");
    expect(await page.locator("h1").first().textContent()).toBe("Segmentation");
    await Promise.all([page.waitForURL("**/zh-tw/research/segmentation/"), select().selectOption({ label: "繁體中文" })]);
    expect(await page.getAttribute("html", "lang")).toBe("zh-TW");
    expect(await page.locator("h1").first().textContent()).toBe("市場區隔");
    await Promise.all([page.waitForURL((url) => url.pathname === "/research/segmentation/"), select().selectOption({ label: "English" })]);
    expect(await page.getAttribute("html", "lang")).toBe("en");
  });

  it("keeps the reader on the generated reference in both languages", async () => {
    await page.goto(site.origin + "/reference/objects/");
    await Promise.all([page.waitForURL("**/zh-tw/reference/objects/"), select().selectOption({ label: "繁體中文" })]);
    expect(await page.locator("h1").first().textContent()).toBe("物件型別");
    expect(await page.locator("#influencer").count()).toBe(1);
  });
});

describe("the headline chart", () => {
  it.each([
    ["/research/", "AI in social media: global market value, 2025–2032", "Market value (USD billion)", 1],
    ["/zh-tw/research/", "社群媒體人工智慧全球市場規模（2025–2032 年）", "市場規模（億美元）", 10],
    ["/", "AI in social media: global market value, 2025–2032", "Market value (USD billion)", 1],
  ] as const)("renders on %s with its title, axes and a bar per figure in proportion", async (path, title, yAxis, unit) => {
    await page.goto(site.origin + path);
    const chart = page.locator('svg[data-chart="market"]');
    await expect.poll(() => chart.isVisible()).toBe(true);
    const box = (await chart.boundingBox())!;
    expect(box.width).toBeGreaterThan(300);
    expect(await chart.getAttribute("role")).toBe("img");
    expect(await chart.locator("title").textContent()).toBe(title);
    expect(await chart.locator(".chart-axis-title").allTextContents()).toEqual([path.startsWith("/zh-tw") ? "年份" : "Year", yAxis]);
    const bars = await chart.locator("rect.chart-bar").evaluateAll((rects) => rects.map((r) => ({ year: Number(r.getAttribute("data-year")), height: (r as unknown as { getBBox(): { height: number } }).getBBox().height })));
    expect(bars.map((b) => b.year)).toEqual(MARKET.map((p) => p.year));
    // Heights are in proportion to the values: the 2032 bar is 15.39 / 3.14 times the 2025 bar.
    const ratio = bars[2]!.height / bars[0]!.height;
    expect(ratio).toBeCloseTo(MARKET[2]!.usdBillion / MARKET[0]!.usdBillion, 2);
    const values = await chart.locator(".chart-value").allTextContents();
    expect(values).toEqual(unit === 1 ? ["3.14", "3.90", "15.39"] : ["31.4", "39", "153.9"]);
  });

  it("is in the HTML itself, readable without JavaScript", async () => {
    const html = await (await fetch(site.origin + "/research/")).text();
    const svg = /<svg [^>]*data-chart="market"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? "";
    for (const text of ["<title", "Year", "Market value (USD billion)", ">3.14<", ">3.90<", ">15.39<"]) expect(svg).toContain(text);
  });

  it("states, computed, the years over which the CAGR holds", async () => {
    for (const [path, words] of [
      ["/research/", ["holds over 2025–2032", "25.49% a year", "25.71% a year"]],
      ["/zh-tw/research/", ["2025–2032 年", "25.49%", "25.71%"]],
    ] as const) {
      await page.goto(site.origin + path);
      const note = page.locator("[data-cagr-span]");
      expect(await note.getAttribute("data-cagr-span")).toBe("2025-2032");
      const text = (await note.textContent())!.replace(/\s+/g, " ");
      for (const w of words) expect(text).toContain(w);
    }
  });
});

describe("artifacts", () => {
  it("saves a screenshot of the home page in test-artifacts/", async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, "home.png");
    await page.goto(site.origin + "/");
    await page.screenshot({ path: file, fullPage: true });
    await page.goto(site.origin + "/zh-tw/");
    await page.screenshot({ path: join(ARTIFACTS, "home.zh-tw.png"), fullPage: true });
    expect(existsSync(file) && statSync(file).size).toBeGreaterThan(20_000);
    if (build.seconds !== null) console.log(`site built in ${build.seconds.toFixed(1)} s: ${builtPages(build.dist).length} pages`);
  });
});
