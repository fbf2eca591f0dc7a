/** Suspicious-engagement flags on accounts and posts, and the post a flag concerns. */
import { Max, Min } from "class-validator";
import { Args, ArgsType, Ctx, Extensions, Field, FieldResolver, Int, Resolver, Root } from "type-graphql";

import { FLAG_KINDS } from "../../schema/enums.js";
import type { Context } from "../context.js";
import { SocialAccount } from "../influencers/influencer.types.js";
import { EngagementFlag } from "./flags.types.js";
import { Post } from "./post.types.js";

@ArgsType()
class FlagsArgs {
  @Field(() => Int, { defaultValue: 20, description: "How many flags, newest first (at most 100)." })
  @Min(0)
  @Max(100)
  first: number;
}

@Resolver(() => SocialAccount)
export class SocialAccountFlagsResolver {
  @FieldResolver(() => [EngagementFlag], {
    description:
      "Suspicious-engagement flags of the account and its posts (follower spikes, engagement spikes, odd ratios), newest first; empty for a clean account.",
  })
  flags(@Root() account: SocialAccount, @Args(() => FlagsArgs) args: FlagsArgs, @Ctx() ctx: Context) {
    return ctx.loaders.flags.flagsByAccountId(args.first).load(account.id);
  }
}

@Resolver(() => Post)
export class PostFlagsResolver {
  // At most one flag per kind on a post.
  @Extensions({ listSize: FLAG_KINDS.length })
  @FieldResolver(() => [EngagementFlag], { description: "Suspicious-engagement flags of this post, newest first; empty for a clean post." })
  flags(@Root() post: Post, @Ctx() ctx: Context) {
    return ctx.loaders.flags.flagsByPostId.load(post.id);
  }
}

@Resolver(() => EngagementFlag)
export class EngagementFlagResolver {
  @FieldResolver(() => Post, { nullable: true, description: "The post the flag concerns; null for an account-level flag (a follower spike)." })
  post(@Root() flag: EngagementFlag, @Ctx() ctx: Context) {
    return flag.postId === null ? null : ctx.loaders.engagement.postById.load(flag.postId);
  }
}
