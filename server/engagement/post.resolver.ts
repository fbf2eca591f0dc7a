/** Relations of Post: its account, metrics history and latest metrics. */
import { Ctx, Extensions, FieldResolver, Resolver, Root } from "type-graphql";

import type { Context } from "../context.js";
import { SocialAccount } from "../influencers/influencer.types.js";
import { Post, PostMetricSnapshot } from "./post.types.js";

@Resolver(() => Post)
export class PostResolver {
  @FieldResolver(() => SocialAccount, { description: "The account that published the post." })
  account(@Root() post: Post, @Ctx() ctx: Context) {
    return ctx.loaders.influencers.accountById.load(post.accountId);
  }

  @Extensions({ listSize: 30 })
  @FieldResolver(() => [PostMetricSnapshot], { description: "Every capture of the post's counters, oldest first." })
  metricsHistory(@Root() post: Post, @Ctx() ctx: Context) {
    return ctx.loaders.engagement.metricsByPostId.load(post.id);
  }

  @FieldResolver(() => PostMetricSnapshot, { nullable: true, description: "The latest capture of the counters." })
  latestMetrics(@Root() post: Post, @Ctx() ctx: Context) {
    return ctx.loaders.engagement.latestMetricsByPostId.load(post.id);
  }
}
