/** Per-request DataLoaders for content and engagement. */
import DataLoader from "dataloader";

import { BATCH_OPTIONS, loaderFamily, manyByKey, oneByKey } from "../common/loaders.js";
import type { EngagementService } from "./engagement.service.js";
import type { CampaignReportService, DailyPerformance, ReportScope } from "./report.service.js";

export function createEngagementLoaders(service: EngagementService, reports: CampaignReportService) {
  return {
    /** Each creator's daily series in a campaign report; one loader (two statements) per campaign and period. */
    creatorDailyByCollaboration: loaderFamily(
      (scope: ReportScope) =>
        new DataLoader<{ influencerId: number; collaborationId: string }, DailyPerformance[], string>(
          async (creators) => reports.creatorDaily(scope, creators),
          { ...BATCH_OPTIONS, cacheKeyFn: (creator) => creator.collaborationId },
        ),
    ),
    postById: oneByKey((ids: readonly number[]) => service.postsByIds(ids), (row) => row.id),
    /** The `first` newest posts per account; one loader (one statement) per distinct `first`. */
    recentPostsByAccountId: loaderFamily((first: number) =>
      manyByKey((ids: readonly number[]) => service.recentPostsOf(ids, first), (row) => row.accountId),
    ),
    metricsByPostId: manyByKey((ids: readonly number[]) => service.metricsOf(ids), (row) => row.postId),
    latestMetricsByPostId: oneByKey((ids: readonly number[]) => service.latestMetricsOf(ids), (row) => row.postId),
    activityByAccountId: oneByKey((ids: readonly number[]) => service.activityOf(ids), (row) => row.accountId),
    postsByCampaignId: manyByKey((ids: readonly number[]) => service.postsOfCampaigns(ids), (row) => row.campaignId ?? 0),
    /** Posts a collaboration produced: keyed "campaignId:influencerId". */
    postsByCollaboration: manyByKey(
      (keys: readonly string[]) =>
        service.postsOfCampaignsWithInfluencer([...new Set(keys.map((key) => Number(key.split(":")[0])))]),
      (row) => `${row.campaignId}:${row.influencerId}`,
    ),
  };
}

export type EngagementLoaders = ReturnType<typeof createEngagementLoaders>;
