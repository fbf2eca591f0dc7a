/**
 * Relay cursor connections. `Connection(Node)` builds `XConnection { edges { cursor node } pageInfo totalCount }`
 * for any node type (type-graphql's generic-type pattern); `paginate` turns a keyset query's rows into one.
 *
 * Cursors are opaque base64url JSON of the sort key and the id: stable under inserts, unlike offsets.
 */
import { ArgsType, Field, Int, ObjectType, type ClassType } from "type-graphql";
import { IsOptional, Max, Min } from "class-validator";
import { and, count, desc, lt, type SQL } from "drizzle-orm";
import type { AnySQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";

import type { Db } from "../db.js";

import { BadUserInputError } from "../errors.js";

@ObjectType({ description: "Where a page sits in a list (Relay cursor connections)." })
export class PageInfo {
  @Field(() => Boolean, { description: "True when more items follow this page." })
  hasNextPage: boolean;

  @Field(() => Boolean, { description: "True when this page was fetched with an `after` cursor." })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: "Cursor of the first edge of the page." })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: "Cursor of the last edge; pass it as `after` for the next page." })
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface ConnectionShape<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** Total matching items: a getter, so the count query runs only when the field is asked for. */
  readonly totalCount: number | Promise<number>;
}

export const DEFAULT_PAGE_SIZE = 20;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `How many items to return (default ${DEFAULT_PAGE_SIZE}).` })
  @IsOptional()
  @Min(0)
  @Max(1000)
  first?: number;

  @Field(() => String, { nullable: true, description: "Return items after this cursor (from `pageInfo.endCursor`)." })
  after?: string;
}

export function Connection<TNode extends object>(NodeClass: ClassType<TNode>, nodeName: string) {
  @ObjectType(`${nodeName}Edge`, { description: `A ${nodeName} in a page, with its cursor.` })
  class EdgeClass {
    @Field(() => String, { description: "Opaque cursor of this edge; pass it as `after` to continue after it." })
    cursor: string;

    @Field(() => NodeClass, { description: `The ${nodeName}.` })
    node: TNode;
  }

  @ObjectType(`${nodeName}Connection`, { description: `A page of ${nodeName} items (Relay cursor connection).` })
  class ConnectionClass {
    @Field(() => [EdgeClass], { description: "The items of this page, in order." })
    edges: EdgeClass[];

    @Field(() => PageInfo, { description: "Whether more pages follow, and the cursors to fetch them." })
    pageInfo: PageInfo;

    @Field(() => Int, { description: "How many items match in all pages (counted only when asked for)." })
    totalCount: number;
  }
  return ConnectionClass;
}

/** A cursor's position: the sort key (null when the order is by id alone) and the row id. */
export type CursorKey = [string | number | null, number];

/**
 * Encodes a position in a list. `list` names the list and its order (e.g. `influencers:NAME_ASC`), so a cursor
 * taken from one list or order is refused by another instead of silently paging from a meaningless place.
 */
export function encodeCursor(list: string, key: CursorKey): string {
  return Buffer.from(JSON.stringify([list, ...key]), "utf8").toString("base64url");
}

/** Decodes an `after` cursor of `list`; a malformed cursor, or one of another list, is BAD_USER_INPUT on `field`. */
export function decodeCursor(cursor: string, list: string, field = "after"): CursorKey {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    value = undefined;
  }
  if (
    Array.isArray(value) &&
    value.length === 3 &&
    typeof value[0] === "string" &&
    (typeof value[1] === "string" || typeof value[1] === "number" || value[1] === null) &&
    Number.isSafeInteger(value[2])
  ) {
    if (value[0] !== list) {
      throw new BadUserInputError(field, `The cursor belongs to another list or sort order (${value[0]}, not ${list}).`);
    }
    return [value[1], value[2]] as CursorKey;
  }
  throw new BadUserInputError(field, "The cursor is not valid: pass an `endCursor` or `cursor` returned by this API.");
}

/** Checks `first` against the configured maximum page size. */
export function pageSize(first: number | undefined, max: number): number {
  const size = first ?? Math.min(DEFAULT_PAGE_SIZE, max);
  if (!Number.isInteger(size) || size < 0 || size > max) {
    throw new BadUserInputError("first", `\`first\` must be between 0 and ${max}.`, { max });
  }
  return size;
}

/**
 * Builds a connection from rows fetched with `LIMIT first + 1` in keyset order; the extra row only tells
 * whether a next page exists.
 */
export function toConnection<T>(
  list: string,
  rows: T[],
  first: number,
  keyOf: (row: T) => CursorKey,
  hasAfter: boolean,
  countAll: () => number | Promise<number>,
): ConnectionShape<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeCursor(list, keyOf(node)), node }));
  let counted: number | Promise<number> | undefined;
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: hasAfter,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    get totalCount() {
      counted ??= countAll();
      return counted;
    },
  };
}

/** A table whose rows are listed newest first by their integer id. */
type TableWithId = SQLiteTable & { id: AnySQLiteColumn };

/**
 * One page of `table`'s rows matching `where`, newest (highest id) first, as a connection: the keyset query of
 * every list ordered by id alone (campaigns, API keys, audit entries). `view` shapes each row before it leaves.
 */
export function pageByIdDesc<TTable extends TableWithId, TNode extends { id: number } = TTable["$inferSelect"] & { id: number }>(
  db: Db,
  table: TTable,
  list: string,
  where: SQL[],
  first: number,
  after: string | undefined,
  view: (row: TTable["$inferSelect"]) => TNode = (row) => row as TNode,
): ConnectionShape<TNode> {
  const page = after ? [...where, lt(table.id, decodeCursor(after, list)[1])] : where;
  const rows = db
    .select()
    .from(table as SQLiteTable)
    .where(and(...page))
    .orderBy(desc(table.id))
    .limit(first + 1)
    .all() as TTable["$inferSelect"][];
  return toConnection(list, rows.map(view), first, (node) => [null, node.id], Boolean(after), () => {
    return db.select({ n: count() }).from(table as SQLiteTable).where(and(...where)).get()?.n ?? 0;
  });
}
