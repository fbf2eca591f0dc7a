/**
 * GraphQL enums, registered from the vocabularies in `schema/enums.ts` so SQL, GraphQL and imports share one
 * list. Every value carries a description: it becomes the API reference.
 */
import { registerEnumType } from "type-graphql";

import {
  API_KEY_ROLES,
  AUDIENCE_DIMENSIONS,
  CAMPAIGN_OBJECTIVES,
  CAMPAIGN_STATUSES,
  CATEGORIES,
  COLLABORATION_STATUSES,
  DELIVERABLE_STATUSES,
  FLAG_KINDS,
  ORGANIZATION_KINDS,
  PLATFORMS,
  POST_KINDS,
} from "../../schema/enums.js";

type EnumObject<T extends readonly string[]> = { [K in T[number]]: K };

function enumObject<T extends readonly string[]>(values: T): EnumObject<T> {
  return Object.fromEntries(values.map((v) => [v, v])) as EnumObject<T>;
}

export function register<T extends readonly string[]>(
  values: T,
  name: string,
  description: string,
  valueDescriptions: { [K in T[number]]: string },
): EnumObject<T> {
  const object = enumObject(values);
  registerEnumType(object, {
    name,
    description,
    valuesConfig: Object.fromEntries(
      values.map((v) => [v, { description: valueDescriptions[v as T[number]] }]),
    ) as never,
  });
  return object;
}

export const PlatformEnum = register(PLATFORMS, "Platform", "A social platform an account lives on.", {
  INSTAGRAM: "Instagram (photos, carousels, reels, stories).",
  TIKTOK: "TikTok (short videos, lives).",
  YOUTUBE: "YouTube (videos, shorts, lives).",
  X: "X, formerly Twitter (text posts, photos, videos).",
  TWITCH: "Twitch (live streams and clips).",
});

export const CategoryEnum = register(CATEGORIES, "Category", "A content category or audience interest.", {
  BEAUTY: "Make-up, skincare, hair.",
  FASHION: "Clothing, style, accessories.",
  FITNESS: "Training, workouts, sport nutrition.",
  FOOD: "Cooking, recipes, restaurants.",
  TRAVEL: "Destinations, hotels, travel tips.",
  GAMING: "Video games, esports, streaming.",
  TECH: "Gadgets, software, reviews.",
  MUSIC: "Musicians, covers, music commentary.",
  SPORTS: "Sports coverage and athletes.",
  PARENTING: "Family life and parenting.",
  FINANCE: "Personal finance, investing.",
  EDUCATION: "Learning, explainers, study content.",
  HOME: "Interior design, DIY, home life.",
  PETS: "Pets and animals.",
  AUTOMOTIVE: "Cars, motorbikes, driving.",
  HEALTH: "Health and wellbeing.",
  COMEDY: "Comedy, sketches, entertainment.",
  LIFESTYLE: "Everyday lifestyle content.",
});

export const AudienceDimensionEnum = register(
  AUDIENCE_DIMENSIONS,
  "AudienceDimension",
  "A way of breaking an audience down.",
  {
    COUNTRY: "Audience country (ISO 3166-1 alpha-2 keys such as US).",
    AGE: "Audience age band (keys 13-17, 18-24, 25-34, 35-44, 45-54, 55+).",
    GENDER: "Audience gender (keys FEMALE, MALE, OTHER).",
    LANGUAGE: "Audience language (ISO 639-1 keys such as en).",
    INTEREST: "Audience interest (Category keys such as FITNESS).",
  },
);

export const PostKindEnum = register(POST_KINDS, "PostKind", "The format of a piece of content.", {
  PHOTO: "A single image post.",
  CAROUSEL: "A multi-image or multi-video post.",
  REEL: "A short vertical video (Instagram reel).",
  STORY: "An ephemeral story.",
  VIDEO: "A long-form video.",
  SHORT: "A short vertical video (TikTok video, YouTube short).",
  LIVE: "A live stream or its replay.",
  TEXT: "A text post (X).",
});

export const CampaignObjectiveEnum = register(
  CAMPAIGN_OBJECTIVES,
  "CampaignObjective",
  "What a campaign is for; it sets the discovery ranking's default weights.",
  {
    AWARENESS: "Reach as many of the target audience as possible.",
    ENGAGEMENT: "Get the audience to interact with the content.",
    CONVERSION: "Drive orders and sign-ups (promo codes, tracking links).",
  },
);

export const CampaignStatusEnum = register(CAMPAIGN_STATUSES, "CampaignStatus", "Where a campaign is in its life.", {
  DRAFT: "Being planned; not yet running.",
  ACTIVE: "Running.",
  PAUSED: "Temporarily stopped.",
  COMPLETED: "Finished.",
  ARCHIVED: "Archived: read-only, hidden from lists unless asked for.",
});

export const CollaborationStatusEnum = register(
  COLLABORATION_STATUSES,
  "CollaborationStatus",
  "Where a campaign × influencer collaboration is; see `Collaboration.allowedNextStatuses` for legal moves.",
  {
    SHORTLISTED: "Picked as a candidate for the campaign.",
    INVITED: "Invited to take part.",
    NEGOTIATING: "Terms under discussion.",
    CONTRACTED: "Terms agreed; a fee is set.",
    CONTENT_SUBMITTED: "Content submitted for review.",
    APPROVED: "Content approved for publishing.",
    PUBLISHED: "Content published.",
    PAID: "The influencer has been paid (final).",
    DECLINED: "The influencer declined (final).",
    CANCELLED: "Cancelled by the campaign owner (final).",
  },
);

export const DeliverableStatusEnum = register(
  DELIVERABLE_STATUSES,
  "DeliverableStatus",
  "Where a deliverable is.",
  {
    PENDING: "Not yet delivered.",
    SUBMITTED: "Submitted for review.",
    APPROVED: "Approved for publishing.",
    PUBLISHED: "Published; linked to its post when known.",
  },
);

export const ApiKeyRoleEnum = register(API_KEY_ROLES, "ApiKeyRole", "What an API key may do.", {
  ADMIN: "Everything, including keys and the audit log.",
  MANAGER: "Read everything of the organization; create and change campaigns and collaborations.",
  ANALYST: "Read only.",
});

export const OrganizationKindEnum = register(ORGANIZATION_KINDS, "OrganizationKind", "What kind of tenant.", {
  AGENCY: "An agency running campaigns for brands.",
  BRAND: "A brand running its own campaigns.",
});

export const FlagKindEnum = register(FLAG_KINDS, "FlagKind", "What a suspicious-engagement flag found.", {
  FOLLOWER_SPIKE: "Followers rose far more in one day than the account's usual day (bought followers).",
  ENGAGEMENT_SPIKE: "Likes rose far faster than views (or comments) between two captures of a post (bought likes).",
  LIKES_TO_COMMENTS: "A post has far more likes per comment than the account's other posts (likes without conversation).",
  LIKES_TO_VIEWS: "A post has far more likes per view than the account's other posts (likes without an audience).",
});
