/**
 * Query limits: depth, aliases and cost, checked after validation and before any resolver runs.
 *
 * Depth and aliases use graphql-armor's rules; cost uses graphql-query-complexity with the estimator below.
 * A refused operation is a typed error (QUERY_TOO_DEEP, TOO_MANY_ALIASES, QUERY_TOO_COSTLY) with HTTP status 400.
 */
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  validate,
  visit,
  type ASTNode,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
} from "graphql";
import { getComplexity, type ComplexityEstimator } from "graphql-query-complexity";

import { DEFAULT_PAGE_SIZE } from "../common/connection.js";
import { AppError, type ErrorCode } from "../errors.js";

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  /** Fields, fragments and inline fragments evaluated at most (graphql-query-complexity's `maxQueryNodes`). */
  maxNodes: number;
}

/** How many items a list field without `first` is assumed to return, unless it declares `listSize`. */
export const DEFAULT_LIST_SIZE = 10;

/**
 * The cost of a field, in the spirit of GitHub's GraphQL rate limit (docs.github.com, "Rate limits and query
 * limits for the GraphQL API"): a field returning objects costs 1 per object it may return, times what is
 * selected beneath it; scalars are free. A connection may return `first` objects; another list of objects
 * `extensions.listSize` (set with `@Extensions({ listSize })`: a number, or the name of the argument that bounds
 * the list, like `days`) or DEFAULT_LIST_SIZE. Connection plumbing
 * (`edges`, `node`, `pageInfo`) is free: its objects are already counted by the connection field.
 */
export const fieldCost: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  // Introspection answers from the in-memory schema: it costs no database work (and can be switched off).
  if (type.name.startsWith("__") || field.name.startsWith("__")) return 0;
  const returns = getNullableType(field.type);
  if (!isCompositeType(getNamedType(returns))) return 0;
  if (type.name.endsWith("Connection") && (field.name === "edges" || field.name === "pageInfo")) return childComplexity;
  if (type.name.endsWith("Edge") && field.name === "node") return childComplexity;
  let count = 1;
  if (typeof args.first === "number") count = Math.max(args.first, 0);
  else if ("first" in args || field.args.some((arg) => arg.name === "first")) count = DEFAULT_PAGE_SIZE;
  else if (isListType(returns)) {
    const declared = field.extensions?.listSize;
    if (typeof declared === "number") count = declared;
    else if (typeof declared === "string" && typeof args[declared] === "number") count = Math.max(args[declared], 0);
    else count = DEFAULT_LIST_SIZE;
  }
  // A field whose own work exceeds the objects it returns (a ranking scan) declares `@Extensions({ baseCost })`.
  const baseCost = typeof field.extensions?.baseCost === "number" ? field.extensions.baseCost : 0;
  return baseCost + count * (1 + childComplexity);
};

function limitError(code: ErrorCode, message: string, extensions: Record<string, unknown>): AppError {
  return new AppError(code, message, { ...extensions, http: { status: 400 } });
}

export interface OperationCost {
  cost: number;
}

/**
 * Checks one operation against the limits; returns its cost, or throws the first limit it breaks. Runs on an
 * already validated document, so fragments resolve and variables are coerced.
 */
export function checkQueryLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  limits: QueryLimits,
): OperationCost {
  // Apollo hands every request with the same text the same cached DocumentNode: what depends on the document
  // alone is checked once per document (and per limits object), not per request.
  let checked = shapeChecks.get(document);
  if (!checked || checked.limits !== limits) {
    checked = { limits, problem: shapeProblem(schema, document, limits), costInputs: new Map(), costs: new Map() };
    shapeChecks.set(document, checked);
  }
  if (checked.problem) throw checked.problem();
  // The cost depends on the document and on the few variables the estimator reads (costVariables): the same
  // document with the same values of those costs the same, whatever its other variables (ids, filters).
  let inputs = checked.costInputs.get(operationName ?? "");
  if (!inputs) {
    inputs = costVariables(schema, document);
    checked.costInputs.set(operationName ?? "", inputs);
  }
  const key = `${operationName ?? ""}\u0000${JSON.stringify(inputs.map((name) => variables[name] ?? null))}`;
  const known = checked.costs.get(key);
  if (known !== undefined) return enforceCost(known, limits);
  const cost = operationCost(schema, document, operationName, variables, limits);
  if (checked.costs.size < 64) checked.costs.set(key, cost);
  return enforceCost(cost, limits);
}

const shapeChecks = new WeakMap<
  DocumentNode,
  { limits: QueryLimits; problem: (() => AppError) | null; costInputs: Map<string, string[]>; costs: Map<string, number> }
>();

/** Argument names whose values `fieldCost` reads: `first`, and those a list field's `listSize` names (`days`). */
const costArgumentsOf = new WeakMap<GraphQLSchema, Set<string>>();

function costArguments(schema: GraphQLSchema): Set<string> {
  let names = costArgumentsOf.get(schema);
  if (!names) {
    names = new Set(["first"]);
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        if (typeof field.extensions?.listSize === "string") names.add(field.extensions.listSize);
      }
    }
    costArgumentsOf.set(schema, names);
  }
  return names;
}

/**
 * The variables the cost can depend on, sorted: those inside a cost argument (costArguments) and those of
 * directives (`@include(if: $x)` and `@skip` decide whether a selection counts), anywhere in the document.
 */
function costVariables(schema: GraphQLSchema, document: DocumentNode): string[] {
  const names = costArguments(schema);
  const found = new Set<string>();
  const collect = (node: ASTNode) =>
    visit(node, {
      Variable(variable) {
        found.add(variable.name.value);
      },
    });
  visit(document, {
    Argument(argument, _key, _parent, _path, ancestors) {
      const owner = ancestors[ancestors.length - 1] as ASTNode | undefined;
      if (owner?.kind === Kind.DIRECTIVE || names.has(argument.name.value)) collect(argument.value);
      return false;
    },
  });
  return [...found].sort();
}

function shapeProblem(schema: GraphQLSchema, document: DocumentNode, limits: QueryLimits): (() => AppError) | null {
  const rejected: GraphQLError[] = [];
  const onReject = [(_context: unknown, error: GraphQLError) => rejected.push(error)];
  validate(schema, document, [
    maxDepthRule({ n: limits.maxDepth, flattenFragments: true, propagateOnRejection: false, onReject }),
  ]);
  if (rejected.length) {
    return () => limitError("QUERY_TOO_DEEP", `The query nests deeper than ${limits.maxDepth} levels.`, { maxDepth: limits.maxDepth });
  }
  validate(schema, document, [maxAliasesRule({ n: limits.maxAliases, propagateOnRejection: false, onReject })]);
  if (rejected.length) {
    return () => limitError("TOO_MANY_ALIASES", `The query uses more than ${limits.maxAliases} aliases.`, { maxAliases: limits.maxAliases });
  }
  return null;
}

/** The cost, or QUERY_TOO_COSTLY when the document selects more than `maxNodes` fields and fragments. */
function operationCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>, limits: QueryLimits): number {
  let cost: number;
  try {
    cost = getComplexity({
      schema,
      query: document,
      operationName,
      variables,
      estimators: [fieldCost],
      maxQueryNodes: limits.maxNodes,
    });
  } catch (error) {
    if (error instanceof Error && /maximum allowed number of nodes/.test(error.message)) {
      throw limitError("QUERY_TOO_COSTLY", `The query selects more than ${limits.maxNodes} fields and fragments.`, {
        maxNodes: limits.maxNodes,
      });
    }
    // Variables that do not coerce: execution refuses the operation with the precise error, before any resolver.
    return 0;
  }
  return cost;
}

function enforceCost(cost: number, limits: QueryLimits): OperationCost {
  if (cost > limits.maxCost) {
    throw limitError(
      "QUERY_TOO_COSTLY",
      `The query may return up to ${cost} objects, more than the limit of ${limits.maxCost}: ask for smaller pages (\`first\`) or fewer nested lists.`,
      { cost, maxCost: limits.maxCost },
    );
  }
  return { cost };
}
