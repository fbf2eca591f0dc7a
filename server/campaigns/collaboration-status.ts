/**
 * The collaboration state machine, as plain data and functions (no I/O) so it can be tested on its own.
 *
 * The happy path follows how agencies run creator deals: SHORTLISTED → INVITED → NEGOTIATING → CONTRACTED →
 * CONTENT_SUBMITTED → APPROVED → PUBLISHED → PAID. Besides it:
 * - INVITED → CONTRACTED: the creator accepts the offered terms as they are (no negotiation round);
 * - CONTENT_SUBMITTED → CONTRACTED: the brand asks for changes and the creator reworks the content;
 * - DECLINED: the creator says no, while invited or negotiating;
 * - CANCELLED: the brand stops the deal at any point before the content is published (after that it owes the fee);
 * - PAID, DECLINED and CANCELLED are final.
 */
import type { CollaborationStatus } from "../../schema/enums.js";

export const COLLABORATION_TRANSITIONS: Readonly<Record<CollaborationStatus, readonly CollaborationStatus[]>> = {
  SHORTLISTED: ["INVITED", "CANCELLED"],
  INVITED: ["NEGOTIATING", "CONTRACTED", "DECLINED", "CANCELLED"],
  NEGOTIATING: ["CONTRACTED", "DECLINED", "CANCELLED"],
  CONTRACTED: ["CONTENT_SUBMITTED", "CANCELLED"],
  CONTENT_SUBMITTED: ["APPROVED", "CONTRACTED", "CANCELLED"],
  APPROVED: ["PUBLISHED", "CANCELLED"],
  PUBLISHED: ["PAID"],
  PAID: [],
  DECLINED: [],
  CANCELLED: [],
};

export function allowedNextStatuses(from: CollaborationStatus): readonly CollaborationStatus[] {
  return COLLABORATION_TRANSITIONS[from];
}

export function canTransition(from: CollaborationStatus, to: CollaborationStatus): boolean {
  return COLLABORATION_TRANSITIONS[from].includes(to);
}

/** Statuses from which a fee must be known: the deal is signed. */
export const FEE_REQUIRED_FROM: readonly CollaborationStatus[] = [
  "CONTRACTED",
  "CONTENT_SUBMITTED",
  "APPROVED",
  "PUBLISHED",
  "PAID",
];

export function isFinal(status: CollaborationStatus): boolean {
  return COLLABORATION_TRANSITIONS[status].length === 0;
}
