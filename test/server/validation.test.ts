/**
 * Input validation (server/validation.ts) remembers values it found valid; a value it has not seen, or one that
 * failed, is checked every time.
 */
import "reflect-metadata";

import { describe, expect, it } from "vitest";

import { DiversityInput } from "../../server/discovery/discovery.types.js";
import { BadUserInputError } from "../../server/errors.js";
import { validateArgument } from "../../server/validation.js";

const rule = (window: number) => Object.assign(new DiversityInput(), { by: "COUNTRY", maxShare: 0.5, window });
const check = async (value: object) => validateArgument(value, DiversityInput as never, { args: { diversity: value } } as never);

describe("argument validation", () => {
  it("refuses an invalid value every time, also after valid ones of the same class", async () => {
    await expect(check(rule(50))).resolves.toBeUndefined();
    await expect(check(rule(50))).resolves.toBeUndefined(); // remembered
    for (let i = 0; i < 2; i++) {
      const refusal = await check(rule(501)).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(BadUserInputError);
      expect((refusal as BadUserInputError).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "diversity.window" });
    }
    await expect(check(rule(500))).resolves.toBeUndefined();
  });
});
