/** The application's services, one instance each, sharing the database. */
import { AccessService } from "./access/access.service.js";
import { ApiKeyService } from "./access/api-key.service.js";
import { AuditService } from "./access/audit.service.js";
import { CampaignService } from "./campaigns/campaign.service.js";
import { CollaborationService } from "./campaigns/collaboration.service.js";
import type { Db } from "./db.js";
import { DiscoveryService } from "./discovery/discovery.service.js";
import { EngagementService } from "./engagement/engagement.service.js";
import { FlagService } from "./engagement/flags.service.js";
import { IngestService } from "./engagement/ingest.service.js";
import { CampaignReportService } from "./engagement/report.service.js";
import { InfluencerService } from "./influencers/influencer.service.js";

export function createServices(db: Db) {
  const audit = new AuditService(db);
  const access = new AccessService(db);
  return {
    access,
    audit,
    apiKeys: new ApiKeyService(db, audit, (apiKeyId) => access.forget(apiKeyId)),
    influencers: new InfluencerService(db),
    engagement: new EngagementService(db),
    flags: new FlagService(db),
    campaignReports: new CampaignReportService(db),
    campaigns: new CampaignService(db, audit),
    collaborations: new CollaborationService(db, audit),
    discovery: new DiscoveryService(db),
    ingest: new IngestService(db, audit),
  };
}

export type Services = ReturnType<typeof createServices>;
