/**
 * The request line is written by hand (server/ops/logger.ts, `logRequestLine`): it must be the line pino itself
 * writes for `logger.info(fields, msg)` with the server's logger, byte for byte but for the time.
 */
import { spawnSync } from "node:child_process";
import { Writable } from "node:stream";

import { describe, expect, it } from "vitest";

import { closeLogger, createLogger, logRequestLine, type RequestLogFields } from "../../server/ops/logger.js";

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
      const oursLogger = createLogger("info", ours);
      const pinoLogger = createLogger("info", pinos);
      logRequestLine(oursLogger, fields, "graphql request");
      pinoLogger.info({ ...fields }, "graphql request");
      closeLogger(oursLogger);
      closeLogger(pinoLogger);
      expect(ours.lines).toHaveLength(1);
      expect(withoutTime(ours.lines[0]!)).toBe(withoutTime(pinos.lines[0]!));
      const { time } = JSON.parse(ours.lines[0]!) as { time: string };
      expect(new Date(time).toISOString()).toBe(time);
    }
  });

  it("follows the logger's level", () => {
    const lines = new Lines();
    const loggers = (["warn", "silent", "debug"] as const).map((level) => createLogger(level, lines));
    for (const logger of loggers) logRequestLine(logger, { status: 200 }, "graphql request");
    loggers.forEach(closeLogger);
    expect(lines.lines).toHaveLength(1);
    expect(JSON.parse(lines.lines[0]!)).toMatchObject({ level: "info", status: 200 });
  });
});

describe("the log destination", () => {
  it("writes the lines of one turn of the event loop together, in order, at the turn's end", async () => {
    const lines = new Lines();
    const logger = createLogger("info", lines);
    logRequestLine(logger, { n: 1 }, "graphql request");
    logger.warn({ n: 2 }, "database refused the operation");
    logRequestLine(logger, { n: 3 }, "graphql request");
    expect(lines.lines).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.lines).toHaveLength(1);
    expect(lines.lines[0]!.trimEnd().split("\n").map((line) => JSON.parse(line).n)).toEqual([1, 2, 3]);
    logger.info({ n: 4 }, "next turn");
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.lines).toHaveLength(2);
    closeLogger(logger);
  });

  it("writes what is pending when the process exits, also on process.exit and an uncaught exception", () => {
    for (const ending of ["process.exit(3)", "throw new Error('boom')"]) {
      const script = `
        const { createLogger, logRequestLine } = await import(${JSON.stringify(new URL("../../server/ops/logger.ts", import.meta.url).href)});
        const logger = createLogger("info");
        logRequestLine(logger, { n: 1 }, "graphql request");
        logger.error({ n: 2 }, "last words");
        ${ending};`;
      const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
      expect(run.status, run.stderr).not.toBe(0);
      expect(run.stdout.trimEnd().split("\n").map((line) => JSON.parse(line).n)).toEqual([1, 2]);
    }
  });
});
