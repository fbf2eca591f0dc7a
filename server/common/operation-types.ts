/**
 * A validation rule: refuses an operation type the schema does not define. graphql-js validation accepts
 * `subscription { __typename }` against a schema without subscriptions and fails only at execution, with an
 * untyped error; this makes it a validation failure (GRAPHQL_VALIDATION_FAILED, HTTP 400) like any other.
 */
import { GraphQLError, type ValidationRule } from "graphql";

export const SupportedOperationTypesRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    const schema = context.getSchema();
    const root =
      node.operation === "query" ? schema.getQueryType() : node.operation === "mutation" ? schema.getMutationType() : schema.getSubscriptionType();
    if (!root) {
      context.reportError(new GraphQLError(`This API has no ${node.operation} operations.`, { nodes: node }));
    }
  },
});
