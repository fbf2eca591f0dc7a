/**
 * The research summary's headline figures are the report's, and the CAGR span the site states is the one the
 * figures bear out, computed here independently of site/src/lib/market.ts.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { CHART_LABELS, marketChartSvg } from "../../site/src/lib/chart.js";
import { MARKET, STATED_CAGR_PERCENT, cagrSpan, candidateSpans, otherSpan } from "../../site/src/lib/market.js";
import { ROOT } from "./support/build.js";

const REPORT = join(ROOT, "../shared/research/000_7e72b64b12e39ca2.txt");

describe("the headline figures", () => {
  it("are the report's, in English and in Chinese", () => {
    expect(existsSync(REPORT), `the market report at ${REPORT} (shared/ beside the project)`).toBe(true);
    const report = readFileSync(REPORT, "utf8");
    const [base, estimate, forecast] = MARKET;
    expect([base!.year, estimate!.year, forecast!.year]).toEqual([2025, 2026, 2032]);
    expect(report).toContain(`| Base Year [2025] | USD ${base!.usdBillion.toFixed(2)} billion |`);
    expect(report).toContain(`| Estimated Year [2026] | USD ${estimate!.usdBillion.toFixed(2)} billion |`);
    expect(report).toContain(`| Forecast Year [2032] | USD ${forecast!.usdBillion.toFixed(2)} billion |`);
    expect(report).toContain(`| CAGR (%) | ${STATED_CAGR_PERCENT.toFixed(2)}% |`);
    // The Chinese table writes the same figures in 億 (100 million): 3.14 billion is 31.4億.
    expect(report).toContain("| 基準年 2025 | 31.4億美元 |");
    expect(report).toContain("| 預計年份:2026年 | 39億美元 |");
    expect(report).toContain("| 預測年份 2032 | 153.9億美元 |");
    expect(report).toContain("| 複合年成長率 (%) | 25.44% |");
  });
});

describe("the CAGR span", () => {
  // Computed from the report's numbers directly, not through the site's code.
  const fromBase = ((15.39 / 3.14) ** (1 / 7) - 1) * 100; // 2025 → 2032, 7 years
  const fromEstimate = ((15.39 / 3.9) ** (1 / 6) - 1) * 100; // 2026 → 2032, 6 years

  it("is 2025–2032: 25.44% is within 0.05 points of the base-year reading, 0.27 points off the 2026 one", () => {
    expect(fromBase).toBeCloseTo(25.49, 2);
    expect(fromEstimate).toBeCloseTo(25.71, 2);
    expect(Math.abs(fromBase - 25.44)).toBeLessThan(Math.abs(fromEstimate - 25.44));
    expect(Math.abs(fromBase - 25.44)).toBeLessThan(0.1);
    expect(Math.abs(fromEstimate - 25.44)).toBeGreaterThan(0.1);
  });

  it("is the span the site states, with the rates the site prints", () => {
    const holds = cagrSpan();
    expect([holds.from.year, holds.to.year, holds.years]).toEqual([2025, 2032, 7]);
    expect(holds.impliedPercent).toBeCloseTo(fromBase, 10);
    const other = otherSpan();
    expect([other.from.year, other.to.year, other.years]).toEqual([2026, 2032, 6]);
    expect(other.impliedPercent).toBeCloseTo(fromEstimate, 10);
    expect(candidateSpans()).toHaveLength(2);
  });
});

describe("the chart", () => {
  it.each(["en", "zh-TW"] as const)("in %s has a title, a description with every value, labelled axes and a labelled bar per figure", (lang) => {
    const svg = marketChartSvg(lang);
    const l = CHART_LABELS[lang];
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="market-chart-title market-chart-desc"/);
    expect(svg).toContain(`<title id="market-chart-title">${l.title}</title>`);
    for (const text of [l.xAxis, l.yAxis]) expect(svg).toContain(`>${text}</text>`);
    const desc = /<desc id="market-chart-desc">([^<]+)<\/desc>/.exec(svg)![1]!;
    const bars = [...svg.matchAll(/<rect [^>]*data-year="(\d+)" data-value="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(bars).toEqual(MARKET.map((p) => [p.year, lang === "en" ? p.usdBillion : Number((p.usdBillion * 10).toFixed(6))]));
    for (const p of MARKET) {
      expect(svg).toContain(`data-year="${p.year}">${l.value(p)}</text>`);
      expect(desc).toContain(l.value(p));
    }
  });
});
