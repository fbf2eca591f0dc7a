/** The audit trail: every mutation records who did what to which entity, with its state before and after. */
import { auditLog } from "../../schema/tables.js";
import type { Db } from "../db.js";
import type { Actor } from "./actor.js";

export class AuditService {
  constructor(private readonly db: Db) {}

  /** Call inside the mutation's transaction, so the entry commits or rolls back with the change. */
  record(actor: Actor, action: string, entity: { type: string; id: number }, before: unknown, after: unknown): void {
    this.db
      .insert(auditLog)
      .values({
        organizationId: actor.organizationId,
        apiKeyId: actor.apiKeyId,
        action,
        entityType: entity.type,
        entityId: entity.id,
        before: before ?? null,
        after: after ?? null,
      })
      .run();
  }
}
