/** Per-request DataLoaders for suspicious-engagement flags. */
import { loaderFamily, manyByKey } from "../common/loaders.js";
import type { FlagService } from "./flags.service.js";

export function createFlagLoaders(service: FlagService) {
  return {
    /** The `first` newest flags per account; one loader (one statement) per distinct `first`. */
    flagsByAccountId: loaderFamily((first: number) =>
      manyByKey((ids: readonly number[]) => service.flagsOfAccounts(ids, first), (row) => row.accountId),
    ),
    flagsByPostId: manyByKey((ids: readonly number[]) => service.flagsOfPosts(ids), (row) => row.postId ?? 0),
  };
}

export type FlagLoaders = ReturnType<typeof createFlagLoaders>;
