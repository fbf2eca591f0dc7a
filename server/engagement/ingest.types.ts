/**
 * GraphQL types of the batched ingestion mutations. The rows take the same fields, units and rules as the import
 * file's `post_metrics` and `account_snapshot` rows (ingest.rows.ts validates both).
 */
import { ArrayMaxSize, ArrayMinSize } from "class-validator";
import { Field, InputType, Int, ObjectType } from "type-graphql";

import type { Platform } from "../../schema/enums.js";
import { PlatformEnum } from "../common/enums.js";
import { DateTime, SafeInt } from "../common/scalars.js";
import { MAX_ROWS_PER_CALL } from "./ingest.service.js";

const ROWS_MESSAGE = `rows must hold from 1 to ${MAX_ROWS_PER_CALL.toLocaleString("en")} rows per call: split larger sets over several calls (or import a file with npm run import)`;

@InputType({ description: "One capture of a post's cumulative counters." })
export class PostMetricsRowInput {
  @Field(() => PlatformEnum, { description: "The platform of the post." })
  platform: Platform;

  @Field(() => String, { description: "The platform's own id of the post (`Post.externalId`); the post must exist." })
  externalId: string;

  @Field(() => DateTime, {
    description: "When the counters were captured; not before the post was published, at most one day after now. With the post, the row's key.",
  })
  capturedAt: Date;

  @Field(() => SafeInt, { description: "Likes so far (a whole number, 0 or more)." })
  likes: number;

  @Field(() => SafeInt, { description: "Comments so far." })
  comments: number;

  @Field(() => SafeInt, { defaultValue: 0, description: "Shares so far (0 when the platform does not report them)." })
  shares: number;

  @Field(() => SafeInt, { defaultValue: 0, description: "Saves so far." })
  saves: number;

  @Field(() => SafeInt, { defaultValue: 0, description: "Video views so far." })
  views: number;

  @Field(() => SafeInt, { defaultValue: 0, description: "Unique accounts reached so far." })
  reach: number;

  @Field(() => SafeInt, { defaultValue: 0, description: "Times the post was displayed so far." })
  impressions: number;
}

@InputType({ description: "Post metric captures to record, all or none." })
export class RecordPostMetricsInput {
  @Field(() => [PostMetricsRowInput], { description: `The captures: 1 to ${MAX_ROWS_PER_CALL.toLocaleString("en")} rows.` })
  @ArrayMinSize(1, { message: ROWS_MESSAGE })
  @ArrayMaxSize(MAX_ROWS_PER_CALL, { message: ROWS_MESSAGE })
  rows: PostMetricsRowInput[];
}

@InputType({ description: "One capture of an account's counters." })
export class AccountSnapshotRowInput {
  @Field(() => PlatformEnum, { description: "The platform of the account." })
  platform: Platform;

  @Field(() => String, { description: "The account's handle, with or without the leading @ (case-insensitive); the account must exist." })
  handle: string;

  @Field(() => DateTime, { description: "When the counters were captured; at most one day after now. With the account, the row's key." })
  capturedAt: Date;

  @Field(() => SafeInt, { description: "Followers at that moment." })
  followers: number;

  @Field(() => SafeInt, { description: "Accounts it followed at that moment." })
  following: number;

  @Field(() => SafeInt, { description: "Posts it had published at that moment." })
  posts: number;
}

@InputType({ description: "Account captures to record, all or none." })
export class RecordAccountSnapshotsInput {
  @Field(() => [AccountSnapshotRowInput], { description: `The captures: 1 to ${MAX_ROWS_PER_CALL.toLocaleString("en")} rows.` })
  @ArrayMinSize(1, { message: ROWS_MESSAGE })
  @ArrayMaxSize(MAX_ROWS_PER_CALL, { message: ROWS_MESSAGE })
  rows: AccountSnapshotRowInput[];
}

@ObjectType({ description: "What a batched write did with its rows; a row is keyed as the import file keys it." })
export class IngestResult {
  @Field(() => Int, { description: "Rows received." })
  rows: number;

  @Field(() => Int, { description: "Rows whose key was new." })
  inserted: number;

  @Field(() => Int, { description: "Rows whose key existed with other values, now replaced." })
  updated: number;

  @Field(() => Int, { description: "Rows whose key existed with the same values: nothing was written for them." })
  unchanged: number;
}
