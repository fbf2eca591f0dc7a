import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // graphql 16 ships ESM (index.mjs, via "module") and CJS (index.js, via "main"). Node, and so type-graphql and
    // Apollo, load the CJS build; vite would give our files the ESM one, and two copies of graphql break
    // `instanceof` checks (a scalar from one is not a GraphQLScalarType to the other). Use Node's copy everywhere.
    alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }],
  },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/support/setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file starts its own server on its own SQLite file; forks keep native handles apart.
    pool: "forks",
    reporters: ["default", "./test/support/summary-reporter.ts"],
    benchmark: { include: ["test/**/*.bench.ts"] },
  },
});
