/** What a key of each audience dimension looks like (shared by campaign targets and discovery briefs). */
import { AGE_BANDS, CATEGORIES, GENDERS, type AudienceDimension } from "../../schema/enums.js";

export const AUDIENCE_KEYS: Readonly<Record<AudienceDimension, (key: string) => boolean>> = {
  COUNTRY: (key) => /^[A-Z]{2}$/.test(key),
  AGE: (key) => (AGE_BANDS as readonly string[]).includes(key),
  GENDER: (key) => (GENDERS as readonly string[]).includes(key),
  LANGUAGE: (key) => /^[a-z]{2}$/.test(key),
  INTEREST: (key) => (CATEGORIES as readonly string[]).includes(key),
};
