/**
 * The headline chart, drawn at build time as inline SVG: a title and a description for assistive technology,
 * labelled axes, and every value written on its bar, so it reads without JavaScript or CSS.
 */
import { MARKET, type MarketPoint } from "./market";

export type Lang = "en" | "zh-TW";

interface Labels {
  title: string;
  xAxis: string;
  yAxis: string;
  kind: Record<MarketPoint["kind"], string>;
  /** Value in the unit the axis uses, as text. */
  value: (p: MarketPoint) => string;
  /** Value in the axis unit, as a number. */
  scale: (usdBillion: number) => number;
  ticks: number[];
  description: (points: readonly MarketPoint[]) => string;
}

/** Rounds away binary noise (3.9 × 10 = 39.000000000000004). */
const clean = (n: number) => Number(n.toFixed(6));

export const CHART_LABELS: Record<Lang, Labels> = {
  en: {
    title: "AI in social media: global market value, 2025–2032",
    xAxis: "Year",
    yAxis: "Market value (USD billion)",
    kind: { base: "base year", estimate: "estimate", forecast: "forecast" },
    value: (p) => p.usdBillion.toFixed(2),
    scale: (v) => v,
    ticks: [0, 4, 8, 12, 16],
    description: (points) =>
      `Bar chart. ${points.map((p) => `${p.year} (${CHART_LABELS.en.kind[p.kind]}): USD ${p.usdBillion.toFixed(2)} billion`).join("; ")}. ` +
      "The report gives no figures for the years in between.",
  },
  "zh-TW": {
    title: "社群媒體人工智慧全球市場規模（2025–2032 年）",
    xAxis: "年份",
    yAxis: "市場規模（億美元）",
    kind: { base: "基準年", estimate: "預估", forecast: "預測" },
    value: (p) => String(clean(p.usdBillion * 10)),
    scale: (v) => clean(v * 10),
    ticks: [0, 40, 80, 120, 160],
    description: (points) =>
      `長條圖。${points.map((p) => `${p.year} 年（${CHART_LABELS["zh-TW"].kind[p.kind]}）：${clean(p.usdBillion * 10)} 億美元`).join("；")}。` +
      "報告未提供其間各年份的數字。",
  },
};

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The chart as an SVG element (a string of markup); `id` prefixes the ids of its title and description. */
export function marketChartSvg(lang: Lang, id = "market-chart"): string {
  const l = CHART_LABELS[lang];
  const width = 640;
  const height = 380;
  const m = { top: 56, right: 24, bottom: 64, left: 76 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const first = MARKET[0]!.year;
  const last = MARKET[MARKET.length - 1]!.year;
  const slots = last - first + 1;
  const slotW = plotW / slots;
  const x = (year: number) => m.left + (year - first + 0.5) * slotW;
  const top = l.ticks[l.ticks.length - 1]!;
  const y = (v: number) => m.top + plotH - (v / top) * plotH;
  const barW = Math.min(44, slotW * 0.7);

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc" class="market-chart" data-chart="market" lang="${lang}">`,
    `<title id="${id}-title">${escape(l.title)}</title>`,
    `<desc id="${id}-desc">${escape(l.description(MARKET))}</desc>`,
    `<text x="${width / 2}" y="28" text-anchor="middle" class="chart-title">${escape(l.title)}</text>`,
  );
  // Grid and y axis ticks.
  for (const t of l.ticks) {
    parts.push(
      `<line x1="${m.left}" x2="${width - m.right}" y1="${y(t)}" y2="${y(t)}" class="chart-grid"/>`,
      `<text x="${m.left - 8}" y="${y(t) + 4}" text-anchor="end" class="chart-tick">${t}</text>`,
    );
  }
  // Axes.
  parts.push(
    `<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${m.top + plotH}" class="chart-axis"/>`,
    `<line x1="${m.left}" x2="${width - m.right}" y1="${m.top + plotH}" y2="${m.top + plotH}" class="chart-axis"/>`,
  );
  for (let year = first; year <= last; year++) {
    parts.push(`<text x="${x(year)}" y="${m.top + plotH + 18}" text-anchor="middle" class="chart-tick">${year}</text>`);
  }
  // Bars with their values.
  for (const p of MARKET) {
    const v = l.scale(p.usdBillion);
    const barTop = y(v);
    parts.push(
      `<rect x="${x(p.year) - barW / 2}" y="${barTop}" width="${barW}" height="${m.top + plotH - barTop}" class="chart-bar chart-bar-${p.kind}" data-year="${p.year}" data-value="${v}"/>`,
      `<text x="${x(p.year)}" y="${barTop - 8}" text-anchor="middle" class="chart-value" data-year="${p.year}">${escape(l.value(p))}</text>`,
    );
  }
  // Axis titles.
  parts.push(
    `<text x="${m.left + plotW / 2}" y="${height - 14}" text-anchor="middle" class="chart-axis-title">${escape(l.xAxis)}</text>`,
    `<text transform="translate(20 ${m.top + plotH / 2}) rotate(-90)" text-anchor="middle" class="chart-axis-title">${escape(l.yAxis)}</text>`,
    `</svg>`,
  );
  return parts.join("");
}
