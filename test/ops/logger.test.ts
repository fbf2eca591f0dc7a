/**
 * The request line is written by hand (server/ops/logger.ts, `logRequestLine`): it must be the line pino itself
 * writes for `logger.info(fields, msg)` with the server's logger, byte for byte but for the time.
 */
import { Writable } from "node:stream";

import { describe, expect, it } from "vitest";

import { createLogger, logRequestLine, type RequestLogFields } from "../../server/ops/logger.js";

class Lines extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(chunk.toString("utf8"));
    done();
  }
}

const withoutTime = (line: string) => line.replace(/"time":"[^"]+"/, '"time":"T"');

describe("the request log line", () => {
  const cases: RequestLogFields[] = [
    {
      reqId: "b869a4c6-b6a7-46fd-bb42-e907f882f759",
      method: "POST",
      path: "/graphql",
      status: 200,
      durationMs: 4.72,
      remoteAddress: "127.0.0.1",
      operation: "InfluencerPage",
      operationType: "query",
      sqlStatements: 7,
      organizationId: 1,
      errors: undefined,
    },
    { reqId: "x", operation: null, operationType: null, organizationId: undefined, errors: ["BAD_USER_INPUT", "NOT_FOUND"], status: 400 },
    { path: '/odd"path\\with\nnewline\u2028and é 中文', method: undefined, remoteAddress: "::1", durationMs: 0 },
    {},
  ];

  it("is the line pino writes for the same fields, but for the time", () => {
    for (const fields of cases) {
      const ours = new Lines();
      const pinos = new Lines();
      logRequestLine(createLogger("info", ours), fields, "graphql request");
      createLogger("info", pinos).info({ ...fields }, "graphql request");
      expect(ours.lines).toHaveLength(1);
      expect(withoutTime(ours.lines[0]!)).toBe(withoutTime(pinos.lines[0]!));
      const { time } = JSON.parse(ours.lines[0]!) as { time: string };
      expect(new Date(time).toISOString()).toBe(time);
    }
  });

  it("follows the logger's level", () => {
    const lines = new Lines();
    logRequestLine(createLogger("warn", lines), { status: 200 }, "graphql request");
    logRequestLine(createLogger("silent", lines), { status: 200 }, "graphql request");
    expect(lines.lines).toEqual([]);
    logRequestLine(createLogger("debug", lines), { status: 200 }, "graphql request");
    expect(lines.lines).toHaveLength(1);
  });
});
