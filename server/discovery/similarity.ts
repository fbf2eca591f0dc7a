/**
 * Lookalikes: how close another creator is to a given one, by audience make-up, categories and content (pure).
 *
 * similarity = 0.5 × audience + 0.3 × categories + 0.2 × content, where
 * - audience is the histogram intersection Σₖ min(pₖ, qₖ) of the two audiences' shares per dimension (country, age,
 *   gender, language, interest), averaged over the dimensions the reference account reports (Swain & Ballard,
 *   "Color indexing", 1991: 1 for identical distributions, 0 for disjoint ones);
 * - categories is the Jaccard index |A ∩ B| / |A ∪ B| of the two creators' categories;
 * - content is the Jaccard index of the hashtags of the two accounts' recent posts.
 * Audience and categories are scored for every account; content re-ranks the 500 best of those (it adds at most
 * 0.2), a re-ranking stage: an account below them is not looked at (discovery.engine.ts, which computes the
 * audience intersection over the index's packed audiences).
 */
import { CATEGORIES } from "../../schema/enums.js";

export const SIMILARITY_ASPECTS = ["AUDIENCE", "CATEGORIES", "CONTENT"] as const;
export type SimilarityAspect = (typeof SIMILARITY_ASPECTS)[number];

export const SIMILARITY_WEIGHTS: Readonly<Record<SimilarityAspect, number>> = { AUDIENCE: 0.5, CATEGORIES: 0.3, CONTENT: 0.2 };

export function bitCount(mask: number): number {
  let n = 0;
  for (let m = mask >>> 0; m; m &= m - 1) n++;
  return n;
}

/** Jaccard index of two category bit masks; 0 when both are empty. */
export function jaccard(a: number, b: number): number {
  const union = bitCount(a | b);
  return union === 0 ? 0 : bitCount(a & b) / union;
}

export function categoriesOf(mask: number): string[] {
  return CATEGORIES.filter((_, i) => mask & (1 << i));
}

export function similarityOf(values: Readonly<Record<SimilarityAspect, number>>): number {
  return SIMILARITY_ASPECTS.reduce((sum, aspect) => sum + SIMILARITY_WEIGHTS[aspect] * values[aspect], 0);
}
