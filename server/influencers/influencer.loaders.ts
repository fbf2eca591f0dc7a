/** Per-request DataLoaders of the influencer catalogue: one SQL statement per relation and page, not per parent. */
import { loaderFamily, manyByKey, oneByKey } from "../common/loaders.js";
import type { InfluencerService } from "./influencer.service.js";

export function createInfluencerLoaders(service: InfluencerService) {
  return {
    influencerById: oneByKey((ids: readonly number[]) => service.byIds(ids), (row) => row.id),
    categoriesByInfluencerId: manyByKey((ids: readonly number[]) => service.categoriesOf(ids), (row) => row.influencerId),
    accountsByInfluencerId: manyByKey((ids: readonly number[]) => service.accountsOf(ids), (row) => row.influencerId),
    accountById: oneByKey((ids: readonly number[]) => service.accountsByIds(ids), (row) => row.id),
    audienceByAccountId: manyByKey((ids: readonly number[]) => service.audienceOf(ids), (row) => row.accountId),
    /** Follower history of the last `days` days, one loader per distinct `days`. */
    followerHistoryByAccountId: loaderFamily((days: number) =>
      manyByKey(
        (ids: readonly number[]) => service.snapshotsOf(ids, days),
        (row) => row.accountId,
      ),
    ),
  };
}

export type InfluencerLoaders = ReturnType<typeof createInfluencerLoaders>;
