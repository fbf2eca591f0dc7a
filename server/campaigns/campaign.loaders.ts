/** Per-request DataLoaders of campaigns; every one is scoped to the caller's organization. */
import DataLoader from "dataloader";

import type { CollaborationStatus } from "../../schema/enums.js";
import type { Actor } from "../access/actor.js";
import { BATCH_OPTIONS, loaderFamily, manyByKey, oneByKey } from "../common/loaders.js";
import type { CampaignRow, CampaignService } from "./campaign.service.js";
import type { CollaborationPageQuery, CollaborationService } from "./collaboration.service.js";

export function createCampaignLoaders(campaigns: CampaignService, collaborations: CollaborationService, actor: Actor | null) {
  const organizationId = actor?.organizationId ?? null;
  return {
    /** Null for campaigns of other organizations: they do not exist for this caller. */
    campaignById: oneByKey(
      (ids: readonly number[]): CampaignRow[] => (organizationId === null ? [] : campaigns.byIds(organizationId, ids)),
      (row) => row.id,
    ),
    /** A page of collaborations per campaign (`first + 1` rows), one statement per distinct page query. */
    collaborationPageByCampaignId: loaderFamily((query: CollaborationPageQuery) =>
      manyByKey((ids: readonly number[]) => collaborations.pagesOf(ids, query), (row) => row.campaignId),
    ),
    collaborationCountByCampaignId: loaderFamily(
      (statuses: CollaborationStatus[] | null) =>
        new DataLoader<number, number>(async (ids) => {
          const counts = new Map(collaborations.countsOf(ids, statuses).map((row) => [row.campaignId, row.n]));
          return ids.map((id) => counts.get(id) ?? 0);
        }, BATCH_OPTIONS),
    ),
    deliverablesByCollaborationId: manyByKey(
      (ids: readonly number[]) => collaborations.deliverablesOf(ids),
      (row) => row.collaborationId,
    ),
  };
}

export type CampaignLoaders = ReturnType<typeof createCampaignLoaders>;
