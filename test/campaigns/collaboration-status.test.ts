import { describe, expect, it } from "vitest";

import { COLLABORATION_STATUSES } from "../../schema/enums.js";
import { allowedNextStatuses, canTransition, COLLABORATION_TRANSITIONS, isFinal } from "../../server/campaigns/collaboration-status.js";

describe("collaboration state machine", () => {
  it("follows the happy path one step at a time", () => {
    const path = ["SHORTLISTED", "INVITED", "NEGOTIATING", "CONTRACTED", "CONTENT_SUBMITTED", "APPROVED", "PUBLISHED", "PAID"] as const;
    for (let i = 0; i < path.length - 1; i++) expect(canTransition(path[i]!, path[i + 1]!)).toBe(true);
  });

  it("cannot skip ahead or go back except for a content revision", () => {
    expect(canTransition("SHORTLISTED", "CONTRACTED")).toBe(false);
    expect(canTransition("APPROVED", "CONTENT_SUBMITTED")).toBe(false);
    expect(canTransition("PUBLISHED", "APPROVED")).toBe(false);
    expect(canTransition("CONTENT_SUBMITTED", "CONTRACTED")).toBe(true);
  });

  it("lets the creator decline only while invited or negotiating", () => {
    const canDecline = COLLABORATION_STATUSES.filter((s) => canTransition(s, "DECLINED"));
    expect(canDecline).toEqual(["INVITED", "NEGOTIATING"]);
  });

  it("allows cancelling until publication, never after", () => {
    const canCancel = COLLABORATION_STATUSES.filter((s) => canTransition(s, "CANCELLED"));
    expect(canCancel).toEqual(["SHORTLISTED", "INVITED", "NEGOTIATING", "CONTRACTED", "CONTENT_SUBMITTED", "APPROVED"]);
  });

  it("has exactly three final states and no self-loops", () => {
    expect(COLLABORATION_STATUSES.filter(isFinal)).toEqual(["PAID", "DECLINED", "CANCELLED"]);
    for (const status of COLLABORATION_STATUSES) expect(allowedNextStatuses(status)).not.toContain(status);
  });

  it("reaches every status from SHORTLISTED", () => {
    const reached = new Set<string>(["SHORTLISTED"]);
    const queue = ["SHORTLISTED"] as (keyof typeof COLLABORATION_TRANSITIONS)[];
    while (queue.length) for (const next of COLLABORATION_TRANSITIONS[queue.shift()!]) if (!reached.has(next)) (reached.add(next), queue.push(next));
    expect([...reached].sort()).toEqual([...COLLABORATION_STATUSES].sort());
  });
});
