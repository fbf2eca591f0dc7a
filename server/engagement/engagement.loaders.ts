/** Per-request DataLoaders for content and engagement. */
import DataLoader from "dataloader";

import { BATCH_OPTIONS, loaderFamily, manyByKey, oneByKey } from "../common/loaders.js";
import type { EngagementService, PostRow } from "./engagement.service.js";

export function createEngagementLoaders(service: EngagementService) {
  return {
    postById: oneByKey((ids: readonly number[]) => service.postsByIds(ids), (row) => row.id),
    /** The `first` newest posts per account; one loader (one statement) per distinct `first`. */
    recentPostsByAccountId: loaderFamily((first: number) =>
      manyByKey((ids: readonly number[]) => service.recentPostsOf(ids, first), (row) => row.accountId),
    ),
    metricsByPostId: manyByKey((ids: readonly number[]) => service.metricsOf(ids), (row) => row.postId),
    latestMetricsByPostId: oneByKey((ids: readonly number[]) => service.latestMetricsOf(ids), (row) => row.postId),
    postsByCampaignId: manyByKey((ids: readonly number[]) => service.postsOfCampaigns(ids), (row) => row.campaignId ?? 0),
    /** Posts a collaboration produced: keyed "campaignId:influencerId". */
    postsByCollaboration: new DataLoader<string, PostRow[]>(async (keys) => {
      const pairs = keys.map((key) => {
        const [campaignId, influencerId] = key.split(":").map(Number) as [number, number];
        return { campaignId, influencerId };
      });
      const byKey = new Map<string, PostRow[]>();
      for (const { post, influencerId } of service.postsOfCollaborations(pairs)) {
        const key = `${post.campaignId}:${influencerId}`;
        const list = byKey.get(key);
        if (list) list.push(post);
        else byKey.set(key, [post]);
      }
      return keys.map((key) => byKey.get(key) ?? []);
    }, BATCH_OPTIONS),
  };
}

export type EngagementLoaders = ReturnType<typeof createEngagementLoaders>;
