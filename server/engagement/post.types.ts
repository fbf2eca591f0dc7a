/** GraphQL types of content and its measured engagement. */
import { Field, ID, ObjectType } from "type-graphql";

import type { Platform, PostKind } from "../../schema/enums.js";
import { PlatformEnum, PostKindEnum } from "../common/enums.js";
import { DateTime, SafeInt } from "../common/scalars.js";

@ObjectType({ description: "A published piece of content on one account." })
export class Post {
  @Field(() => ID, { description: "Stable identifier." })
  id: number;

  accountId: number;
  campaignId: number | null;

  @Field(() => PlatformEnum, { description: "The platform it was published on." })
  platform: Platform;

  @Field(() => String, { description: "The platform's own id of the post (unique per platform)." })
  externalId: string;

  @Field(() => PostKindEnum, { description: "The format of the post." })
  kind: PostKind;

  @Field(() => DateTime, { description: "When it was published." })
  publishedAt: Date;

  @Field(() => String, { description: "The caption or text." })
  caption: string;

  @Field(() => [String], { description: "Hashtags, lower case, without the #." })
  hashtags: string[];

  @Field(() => String, { nullable: true, description: "Public URL of the post." })
  url: string | null;
}

@ObjectType({ description: "A post's cumulative counters as captured at one moment." })
export class PostMetricSnapshot {
  postId: number;

  @Field(() => DateTime, { description: "When the counters were captured." })
  capturedAt: Date;

  @Field(() => SafeInt, { description: "Likes (hearts, thumbs-up) so far." })
  likes: number;

  @Field(() => SafeInt, { description: "Comments (replies) so far." })
  comments: number;

  @Field(() => SafeInt, { description: "Shares (reposts, forwards) so far." })
  shares: number;

  @Field(() => SafeInt, { description: "Saves (bookmarks) so far." })
  saves: number;

  @Field(() => SafeInt, { description: "Video views so far (0 for formats without views)." })
  views: number;

  @Field(() => SafeInt, { description: "Unique accounts reached so far, as the platform reports it." })
  reach: number;

  @Field(() => SafeInt, { description: "Times the post was displayed so far." })
  impressions: number;
}
