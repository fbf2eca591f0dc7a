import { defineConfig } from "drizzle-kit";

// drizzle-kit reads the tables from schema/ and writes SQL migrations beside them; the server applies them at start.
export default defineConfig({
  dialect: "sqlite",
  schema: "./schema/tables.ts",
  out: "./schema/migrations",
  dbCredentials: { url: process.env.DATABASE_PATH ?? "./data/influencegraph.db" },
  strict: true,
  verbose: true,
});
