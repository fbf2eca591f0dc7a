/**
 * `@Transactional()`: a service method decorated with it runs inside one SQLite transaction (BEGIN IMMEDIATE, so
 * a writer takes the write lock up front instead of failing to upgrade later). Any throw rolls back every write
 * the method made, so a rejected mutation changes nothing. Nested calls become savepoints.
 *
 * better-sqlite3 is synchronous: the method must not be async (an awaited write would escape the transaction).
 */
import type { Db } from "./db.js";

export function Transactional(): MethodDecorator {
  return (_target, _propertyKey, descriptor: PropertyDescriptor) => {
    const method = descriptor.value as (...args: unknown[]) => unknown;
    descriptor.value = function transactional(this: { db: Db }, ...args: unknown[]) {
      const run = this.db.$client.transaction(() => {
        const result = method.apply(this, args);
        if (result instanceof Promise) throw new Error("@Transactional() methods must be synchronous");
        return result;
      });
      return this.db.$client.inTransaction ? run() : run.immediate();
    };
    return descriptor;
  };
}
