/**
 * The market report's headline figures ("AI in Social Media Market, 2026–2032", ../shared/research/), exactly as
 * the report states them, and the check of the span over which its CAGR holds. The research pages, the headline
 * table and the chart all read these numbers from here; test/site/market.test.ts checks them against the report.
 */

export interface MarketPoint {
  year: number;
  /** Market value, USD billion, as the report states it. */
  usdBillion: number;
  /** How the report labels the year. */
  kind: "base" | "estimate" | "forecast";
}

export const MARKET: readonly MarketPoint[] = [
  { year: 2025, usdBillion: 3.14, kind: "base" },
  { year: 2026, usdBillion: 3.9, kind: "estimate" },
  { year: 2032, usdBillion: 15.39, kind: "forecast" },
];

/** The compound annual growth rate the report states, in percent. */
export const STATED_CAGR_PERCENT = 25.44;

/** Compound annual growth rate from `from` to `to`, in percent. */
export function cagrPercent(from: MarketPoint, to: MarketPoint): number {
  return ((to.usdBillion / from.usdBillion) ** (1 / (to.year - from.year)) - 1) * 100;
}

export interface Span {
  from: MarketPoint;
  to: MarketPoint;
  years: number;
  /** The CAGR the two endpoints imply, in percent. */
  impliedPercent: number;
  /** implied − stated, in percentage points. */
  gapPoints: number;
}

function span(from: MarketPoint, to: MarketPoint): Span {
  const impliedPercent = cagrPercent(from, to);
  return { from, to, years: to.year - from.year, impliedPercent, gapPoints: impliedPercent - STATED_CAGR_PERCENT };
}

/** The two readings of "CAGR 25.44 %, reaching 15.39 by 2032": from the base year, or from the estimate year. */
export function candidateSpans(): Span[] {
  const [base, estimate, forecast] = MARKET as [MarketPoint, MarketPoint, MarketPoint];
  return [span(base, forecast), span(estimate, forecast)];
}

/**
 * How far off a span may be and still "hold": the endpoints are rounded to a hundredth of a billion, and a stated
 * rate within a tenth of a point of the recomputed one is the rounding of a figure computed from unrounded values.
 */
export const TOLERANCE_POINTS = 0.1;

/**
 * The span over which the stated CAGR holds: the candidate nearest to it, which must be within the tolerance and
 * the only one within it. Throws otherwise, so the build fails rather than publish a claim the numbers do not bear.
 */
export function cagrSpan(): Span {
  const spans = candidateSpans().sort((a, b) => Math.abs(a.gapPoints) - Math.abs(b.gapPoints));
  const holding = spans.filter((s) => Math.abs(s.gapPoints) <= TOLERANCE_POINTS);
  if (holding.length !== 1) {
    const list = spans.map((s) => `${s.from.year}–${s.to.year}: ${s.impliedPercent.toFixed(2)} %`).join(", ");
    throw new Error(`The stated CAGR of ${STATED_CAGR_PERCENT} % must hold over exactly one span; recomputed: ${list}`);
  }
  return holding[0]!;
}

/** The span the CAGR does not hold over (the other candidate). */
export function otherSpan(): Span {
  const holds = cagrSpan();
  return candidateSpans().find((s) => s.from.year !== holds.from.year)!;
}

/** A percentage with two decimals, as the report writes them. */
export const percent = (value: number) => `${value.toFixed(2)}%`;
