/** GraphQL types of suspicious-engagement flags (detected by anomalies.ts during the feature refresh). */
import { Field, Float, ObjectType } from "type-graphql";

import type { FlagKind } from "../../schema/enums.js";
import { FlagKindEnum } from "../common/enums.js";
import { DateTime } from "../common/scalars.js";

@ObjectType({
  description:
    "A suspicious-engagement finding on an account or one of its posts: a follower or engagement spike, or an odd " +
    "ratio, far from the account's own usual (robust z-score). Derived data: every feature refresh replaces the flags.",
})
export class EngagementFlag {
  accountId: number;
  postId: number | null;

  @Field(() => FlagKindEnum, { description: "What was found." })
  kind: FlagKind;

  @Field(() => DateTime, { description: "When it happened: the capture that shows it." })
  observedAt: Date;

  @Field(() => Float, {
    description:
      "How far out it is, in robust standard deviations: (x − median) / (1.4826 · MAD) against the account's (or the post's) own usual, with a floor under the scale and counting noise for small counts; flags start at 3.5.",
  })
  score: number;

  @Field(() => String, { description: "What was found, in a sentence, with the usual value it is compared with." })
  reason: string;
}
