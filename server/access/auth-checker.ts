/**
 * type-graphql's auth checker behind `@Authorized()`: no valid key is UNAUTHENTICATED; `@Authorized("MANAGER")`
 * on a key with a weaker role is FORBIDDEN.
 */
import type { AuthChecker } from "type-graphql";

import type { ApiKeyRole } from "../../schema/enums.js";
import type { Context } from "../context.js";
import { ForbiddenError, UnauthenticatedError } from "../errors.js";
import { hasRole } from "./actor.js";

export const authChecker: AuthChecker<Context, ApiKeyRole> = ({ context }, roles) => {
  const { actor } = context;
  if (!actor) throw new UnauthenticatedError(context.authProblem ?? undefined);
  for (const role of roles) {
    if (!hasRole(actor, role)) {
      throw new ForbiddenError(`This operation needs the ${role} role; the API key has ${actor.role}.`);
    }
  }
  return true;
};
