/**
 * Closed vocabularies shared by the tables, the GraphQL enums and the demo generator.
 * Values are SCREAMING_CASE so they read the same in SQL, in GraphQL and in import files.
 */
export const ORGANIZATION_KINDS = ["AGENCY", "BRAND"] as const;
export const API_KEY_ROLES = ["ADMIN", "MANAGER", "ANALYST"] as const;
export const PLATFORMS = ["INSTAGRAM", "TIKTOK", "YOUTUBE", "X", "TWITCH"] as const;
export const AUDIENCE_DIMENSIONS = ["COUNTRY", "AGE", "GENDER", "LANGUAGE", "INTEREST"] as const;
export const POST_KINDS = ["PHOTO", "CAROUSEL", "REEL", "STORY", "VIDEO", "SHORT", "LIVE", "TEXT"] as const;
export const CAMPAIGN_OBJECTIVES = ["AWARENESS", "ENGAGEMENT", "CONVERSION"] as const;
export const CAMPAIGN_STATUSES = ["DRAFT", "ACTIVE", "PAUSED", "COMPLETED", "ARCHIVED"] as const;
export const COLLABORATION_STATUSES = [
  "SHORTLISTED",
  "INVITED",
  "NEGOTIATING",
  "CONTRACTED",
  "CONTENT_SUBMITTED",
  "APPROVED",
  "PUBLISHED",
  "PAID",
  "DECLINED",
  "CANCELLED",
] as const;
export const DELIVERABLE_STATUSES = ["PENDING", "SUBMITTED", "APPROVED", "PUBLISHED"] as const;
export const FRAUD_KINDS = ["FAKE_FOLLOWERS", "BOUGHT_ENGAGEMENT"] as const;
/** What a suspicious-engagement flag found (server/engagement/anomalies.ts). */
export const FLAG_KINDS = ["FOLLOWER_SPIKE", "ENGAGEMENT_SPIKE", "LIKES_TO_COMMENTS", "LIKES_TO_VIEWS"] as const;
export const CATEGORIES = [
  "BEAUTY",
  "FASHION",
  "FITNESS",
  "FOOD",
  "TRAVEL",
  "GAMING",
  "TECH",
  "MUSIC",
  "SPORTS",
  "PARENTING",
  "FINANCE",
  "EDUCATION",
  "HOME",
  "PETS",
  "AUTOMOTIVE",
  "HEALTH",
  "COMEDY",
  "LIFESTYLE",
] as const;
/** Audience age bands, as the platforms' creator analytics report them. */
export const AGE_BANDS = ["13-17", "18-24", "25-34", "35-44", "45-54", "55+"] as const;
export const GENDERS = ["FEMALE", "MALE", "OTHER"] as const;

export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];
export type Platform = (typeof PLATFORMS)[number];
export type AudienceDimension = (typeof AUDIENCE_DIMENSIONS)[number];
export type PostKind = (typeof POST_KINDS)[number];
export type CampaignObjective = (typeof CAMPAIGN_OBJECTIVES)[number];
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export type CollaborationStatus = (typeof COLLABORATION_STATUSES)[number];
export type DeliverableStatus = (typeof DELIVERABLE_STATUSES)[number];
export type FraudKind = (typeof FRAUD_KINDS)[number];
export type FlagKind = (typeof FLAG_KINDS)[number];
export type Category = (typeof CATEGORIES)[number];
