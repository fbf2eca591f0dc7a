/**
 * DataLoader helpers. Loaders are created per request (in the context), so their caches never outlive a request
 * or cross tenants. Batch functions must answer in key order: they group rows in a Map, never `find` per key.
 */
import DataLoader from "dataloader";

/**
 * Keys per batch: SQLite binds at most 32,766 values per statement. Pages are far smaller (MAX_PAGE_SIZE), so in
 * practice every relation is still one statement; this only keeps a pathological request from failing.
 */
export const MAX_BATCH_SIZE = 10_000;
export const BATCH_OPTIONS = { maxBatchSize: MAX_BATCH_SIZE } as const;

/** A loader returning the one row whose `keyOf(row)` equals the key (null when absent). */
export function oneByKey<K, V>(fetch: (keys: readonly K[]) => V[], keyOf: (row: V) => K): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(async (keys) => {
    const byKey = new Map<K, V>();
    for (const row of fetch(keys)) byKey.set(keyOf(row), row);
    return keys.map((key) => byKey.get(key) ?? null);
  }, BATCH_OPTIONS);
}

/** A loader returning every row whose `keyOf(row)` equals the key, in the order `fetch` returned them. */
export function manyByKey<K, V>(fetch: (keys: readonly K[]) => V[], keyOf: (row: V) => K): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(async (keys) => {
    const byKey = new Map<K, V[]>();
    for (const row of fetch(keys)) {
      const key = keyOf(row);
      const list = byKey.get(key);
      if (list) list.push(row);
      else byKey.set(key, [row]);
    }
    return keys.map((key) => byKey.get(key) ?? []);
  }, BATCH_OPTIONS);
}

/**
 * A family of loaders, one per parameter value (e.g. `recentPosts(first: 5)`): every field asking with the
 * same parameter shares one batch, so the statement count stays constant however many parents there are.
 */
export function loaderFamily<P, L>(create: (param: P) => L): (param: P) => L {
  const loaders = new Map<string, L>();
  return (param) => {
    const id = JSON.stringify(param);
    let loader = loaders.get(id);
    if (!loader) {
      loader = create(param);
      loaders.set(id, loader);
    }
    return loader;
  };
}
