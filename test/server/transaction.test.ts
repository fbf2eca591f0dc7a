import { count } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";

import { organizations } from "../../schema/tables.js";
import { closeDatabase, openDatabase, type Db } from "../../server/db.js";
import { Transactional } from "../../server/transaction.js";

class Writer {
  constructor(readonly db: Db) {}

  @Transactional()
  insertThenFail(name: string): void {
    this.db.insert(organizations).values({ name, slug: name, kind: "BRAND" }).run();
    throw new Error("fails after the first write");
  }

  @Transactional()
  insert(name: string): number {
    return this.db.insert(organizations).values({ name, slug: name, kind: "BRAND" }).returning().get().id;
  }

  @Transactional()
  outer(): void {
    this.insert("outer-1");
    try {
      this.insertThenFail("inner");
    } catch {
      // the inner savepoint rolled back; the outer transaction goes on
    }
    this.insert("outer-2");
  }
}

let db: Db | undefined;
afterEach(() => db && closeDatabase(db));

const names = (d: Db) => d.select().from(organizations).all().map((o) => o.name);

describe("@Transactional", () => {
  it("rolls back every write of a method that throws", () => {
    db = openDatabase({ path: ":memory:" });
    const writer = new Writer(db);
    expect(() => writer.insertThenFail("ghost")).toThrow("fails after the first write");
    expect(db.select({ n: count() }).from(organizations).get()!.n).toBe(0);
  });

  it("commits a method that returns, and nests as savepoints", () => {
    db = openDatabase({ path: ":memory:" });
    const writer = new Writer(db);
    expect(writer.insert("kept")).toBeGreaterThan(0);
    writer.outer();
    expect(names(db)).toEqual(["kept", "outer-1", "outer-2"]);
  });
});
