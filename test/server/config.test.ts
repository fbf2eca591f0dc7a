import { describe, expect, it } from "vitest";

import { ConfigError, loadConfig } from "../../server/config.js";

describe("configuration", () => {
  it("has working defaults for a fresh clone", () => {
    expect(loadConfig({})).toMatchObject({
      env: "development",
      host: "127.0.0.1",
      port: 4000,
      databasePath: "./data/influencegraph.db",
      seedOnEmpty: true,
      introspection: true,
    });
  });

  it("treats an empty variable as unset", () => {
    expect(loadConfig({ PORT: "", DATABASE_PATH: " " })).toMatchObject({ port: 4000, databasePath: "./data/influencegraph.db" });
  });

  it("turns introspection and demo seeding off in production unless asked for", () => {
    expect(loadConfig({ NODE_ENV: "production" }).introspection).toBe(false);
    expect(loadConfig({ NODE_ENV: "production" }).seedOnEmpty).toBe(false);
    expect(loadConfig({ NODE_ENV: "production", SEED_ON_EMPTY: "true" }).seedOnEmpty).toBe(true);
    expect(loadConfig({ NODE_ENV: "production", INTROSPECTION: "true" }).introspection).toBe(true);
  });

  it.each([
    [{ PORT: "http" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ NODE_ENV: "staging" }, "NODE_ENV"],
    [{ SEED_ON_EMPTY: "maybe" }, "SEED_ON_EMPTY"],
    [{ MAX_PAGE_SIZE: "0" }, "MAX_PAGE_SIZE"],
    [{ PORT: "0x1F90" }, "PORT"],
    [{ SEED_INFLUENCERS: "1e3" }, "SEED_INFLUENCERS"],
  ])("refuses %j with a message naming %s", (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${name}:`));
  });
});
