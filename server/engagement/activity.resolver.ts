/** `Post.engagement` and `SocialAccount.activity`: derived engagement figures; formulas in metrics.ts. */
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";

import type { Context } from "../context.js";
import { SocialAccount } from "../influencers/influencer.types.js";
import { AccountActivity, PostEngagement } from "./activity.types.js";
import { postEngagement, postsPerWeek } from "./metrics.js";
import { Post } from "./post.types.js";

@Resolver(() => Post)
export class PostEngagementResolver {
  @FieldResolver(() => PostEngagement, { nullable: true, description: "Engagement rates from the latest capture; null before the first capture." })
  async engagement(@Root() post: Post, @Ctx() ctx: Context): Promise<PostEngagement | null> {
    const [latest, account] = await Promise.all([
      ctx.loaders.engagement.latestMetricsByPostId.load(post.id),
      ctx.loaders.influencers.accountById.load(post.accountId),
    ]);
    if (!latest) return null;
    return { ...postEngagement(latest, account?.followers ?? 0), capturedAt: latest.capturedAt };
  }
}

@Resolver(() => SocialAccount)
export class AccountActivityResolver {
  @FieldResolver(() => AccountActivity, { nullable: true, description: "Recent activity as of the latest feature refresh; null for an account added since." })
  async activity(@Root() account: SocialAccount, @Ctx() ctx: Context): Promise<AccountActivity | null> {
    const row = await ctx.loaders.engagement.activityByAccountId.load(account.id);
    if (!row) return null;
    return {
      engagementRate30d: row.engagementRate30d,
      followerGrowth30d: row.followerGrowth30d,
      postsLast30d: row.postsLast30d,
      postsPerWeek: postsPerWeek(row.postsLast30d),
      lastPostAt: row.lastPostAt,
      computedAt: row.computedAt,
    };
  }
}
