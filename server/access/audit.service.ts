/**
 * The audit trail: every mutation records who did what to which entity, with its state before and after.
 * Entries are written inside the change's transaction, so an entry exists exactly when the change committed.
 */
import { eq, gte, inArray, lte, type SQL } from "drizzle-orm";

import { auditLog } from "../../schema/tables.js";
import { pageByIdDesc, type ConnectionShape } from "../common/connection.js";
import type { Db } from "../db.js";

/** Who made a change: an organization and the API key used (null for the `npm run keys` command line). */
export interface AuditAuthor {
  organizationId: number;
  apiKeyId: number | null;
}

export type AuditEntryRow = typeof auditLog.$inferSelect;

export interface AuditFilter {
  entityType?: string;
  entityId?: number;
  actions?: string[];
  apiKeyId?: number;
  since?: Date;
  until?: Date;
}

export class AuditService {
  constructor(private readonly db: Db) {}

  /** Call inside the mutation's transaction, so the entry commits or rolls back with the change. */
  record(author: AuditAuthor, action: string, entity: { type: string; id: number }, before: unknown, after: unknown): void {
    this.db
      .insert(auditLog)
      .values({
        organizationId: author.organizationId,
        apiKeyId: author.apiKeyId,
        action,
        entityType: entity.type,
        entityId: entity.id,
        before: before ?? null,
        after: after ?? null,
      })
      .run();
  }

  /** The organization's entries, newest first. */
  page(organizationId: number, filter: AuditFilter, first: number, after: string | undefined): ConnectionShape<AuditEntryRow> {
    const where: SQL[] = [eq(auditLog.organizationId, organizationId)];
    if (filter.entityType) where.push(eq(auditLog.entityType, filter.entityType));
    if (filter.entityId !== undefined) where.push(eq(auditLog.entityId, filter.entityId));
    if (filter.actions?.length) where.push(inArray(auditLog.action, [...new Set(filter.actions)]));
    if (filter.apiKeyId !== undefined) where.push(eq(auditLog.apiKeyId, filter.apiKeyId));
    if (filter.since) where.push(gte(auditLog.at, filter.since));
    if (filter.until) where.push(lte(auditLog.at, filter.until));
    return pageByIdDesc(this.db, auditLog, "auditLog", where, first, after);
  }
}
