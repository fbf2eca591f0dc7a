/** The batched ingestion mutations; thin: arguments in, service call, result out. */
import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";

import type { Actor } from "../access/actor.js";
import { CurrentActor, type Context } from "../context.js";
import { IngestResult, RecordAccountSnapshotsInput, RecordPostMetricsInput } from "./ingest.types.js";

const ALL_OR_NOTHING =
  "All or nothing: when a row is invalid or names a missing post or account, nothing is written and the answer is one " +
  "BAD_USER_INPUT error whose `field` is the first offending path (`input.rows.17.likes`) and whose " +
  "`extensions.problems` lists every problem as { field, message }. Re-sending rows is safe: a row whose key exists " +
  "updates it, or counts as unchanged. One audit entry per call.";

@Resolver()
export class IngestResolver {
  @Authorized("MANAGER")
  @Mutation(() => IngestResult, {
    description: `Records captures of posts' counters (up to 1,000 rows), keyed by post and capture time. ${ALL_OR_NOTHING}`,
  })
  recordPostMetrics(
    @Arg("input", () => RecordPostMetricsInput, { description: "The captures." }) input: RecordPostMetricsInput,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.ingest.recordPostMetrics(actor, input.rows);
  }

  @Authorized("MANAGER")
  @Mutation(() => IngestResult, {
    description:
      "Records captures of accounts' counters (up to 1,000 rows), keyed by account and capture time; the latest capture " +
      `becomes the account's followers, following and post count. ${ALL_OR_NOTHING}`,
  })
  recordAccountSnapshots(
    @Arg("input", () => RecordAccountSnapshotsInput, { description: "The captures." }) input: RecordAccountSnapshotsInput,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.ingest.recordAccountSnapshots(actor, input.rows);
  }
}
