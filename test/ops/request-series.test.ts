/**
 * The request-path series (server/ops/request-series.ts) scrape exactly as prom-client's own Counter and Histogram
 * do after the same updates: the same text, line for line.
 */
import client from "prom-client";
import { describe, expect, it } from "vitest";

import { RequestCounter, RequestHistogram } from "../../server/ops/request-series.js";

const BOUNDS = [0.001, 0.01, 0.1, 1, 10];

describe("request series", () => {
  it("expose what prom-client's Counter and Histogram expose for the same updates", async () => {
    const ours = new client.Registry();
    const theirs = new client.Registry();
    const histogram = new RequestHistogram("t_duration_seconds", "Durations.", ["operation", "type"], BOUNDS, ours);
    const counter = new RequestCounter("t_errors_total", "Errors.", ["code", "operation"], ours);
    const reference = new client.Histogram({ name: "t_duration_seconds", help: "Durations.", labelNames: ["operation", "type"], buckets: BOUNDS, registers: [theirs] });
    const referenceCounter = new client.Counter({ name: "t_errors_total", help: "Errors.", labelNames: ["code", "operation"], registers: [theirs] });

    // Values on the bounds, between them, below the first and above the last; labels needing escapes.
    const samples: [string, string, number][] = [
      ["Page", "query", 0.001],
      ["Page", "query", 0.0005],
      ["Page", "query", 0.05],
      ["Page", "query", 12],
      ["Write", "mutation", 1],
      ['od"d\\name', "query", 0.2],
      ["Page", "query", 0],
    ];
    for (const [operation, type, value] of samples) {
      histogram.observe([operation, type], value);
      reference.observe({ operation, type }, value);
    }
    for (const [code, operation, n] of [["BAD_USER_INPUT", "Page", 1], ["NOT_FOUND", "Page", 3], ["BAD_USER_INPUT", "Page", 2]] as const) {
      counter.inc([code, operation], n);
      referenceCounter.inc({ code, operation }, n);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());

    ours.resetMetrics();
    theirs.resetMetrics();
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });
});
