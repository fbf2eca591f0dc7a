/** Per-request DataLoaders of access data, scoped to the caller's organization. */
import type { Actor } from "./actor.js";
import { oneByKey } from "../common/loaders.js";
import type { ApiKeyService } from "./api-key.service.js";

export function createAccessLoaders(apiKeys: ApiKeyService, actor: Actor | null) {
  const organizationId = actor?.organizationId ?? null;
  return {
    /** Null for keys of other organizations. */
    apiKeyById: oneByKey(
      (ids: readonly number[]) => (organizationId === null ? [] : apiKeys.byIds(organizationId, ids)),
      (row) => row.id,
    ),
  };
}
