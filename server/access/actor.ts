import type { ApiKeyRole } from "../../schema/enums.js";

/** Who is calling: the organization and role of the API key that authenticated the request. */
export interface Actor {
  organizationId: number;
  apiKeyId: number;
  role: ApiKeyRole;
}

/** Roles are nested: an ADMIN may do what a MANAGER may, a MANAGER what an ANALYST may. */
const RANK: Record<ApiKeyRole, number> = { ANALYST: 1, MANAGER: 2, ADMIN: 3 };

export function hasRole(actor: Actor, required: ApiKeyRole): boolean {
  return RANK[actor.role] >= RANK[required];
}
