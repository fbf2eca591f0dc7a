/**
 * API key management, shared by the `npm run keys` command line and the ADMIN-only GraphQL mutations: create an
 * organization, issue a key (the plain key is returned once and never stored), list keys, revoke a key.
 * Every change writes an audit entry; the command line records no API key as the author (`apiKeyId` null).
 */
import { and, asc, count, desc, eq, inArray, isNull, or, type SQL } from "drizzle-orm";

import { API_KEY_ROLES, ORGANIZATION_KINDS, type ApiKeyRole, type OrganizationKind } from "../../schema/enums.js";
import { apiKeys, organizations } from "../../schema/tables.js";
import { pageByIdDesc, type ConnectionShape } from "../common/connection.js";
import type { Db } from "../db.js";
import { BadUserInputError, ConflictError, NotFoundError } from "../errors.js";
import { Transactional } from "../transaction.js";
import type { AuditAuthor, AuditService } from "./audit.service.js";
import { generateApiKey } from "./api-keys.js";

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type OrganizationRow = typeof organizations.$inferSelect;

/** What a listing or the audit trail may show of a key: never its hash. */
export type ApiKeyView = Omit<ApiKeyRow, "keyHash">;

export function viewOf(row: ApiKeyRow): ApiKeyView {
  const { keyHash: _hidden, ...view } = row;
  return view;
}

export interface NewApiKey {
  /** The plain key: shown once, stored only as a hash. */
  key: string;
  apiKey: ApiKeyView;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const MAX_NAME = 100;

function checkName(name: string, field: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_NAME || /[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new BadUserInputError(field, `The name must be 1 to ${MAX_NAME} printable characters.`);
  }
  return trimmed;
}

export function checkRole(role: string, field = "role"): ApiKeyRole {
  if (!(API_KEY_ROLES as readonly string[]).includes(role)) {
    throw new BadUserInputError(field, `The role must be one of ${API_KEY_ROLES.join(", ")}.`);
  }
  return role as ApiKeyRole;
}

export class ApiKeyService {
  constructor(
    readonly db: Db,
    private readonly audit: AuditService,
    /** Told of every key this process revokes (AccessService forgets it at once). */
    private readonly onRevoked: (apiKeyId: number) => void = () => {},
  ) {}

  @Transactional()
  createOrganization(input: { name: string; slug: string; kind?: string }): OrganizationRow {
    const name = checkName(input.name ?? "", "name");
    // A slug needs a letter: all-digit slugs would be ambiguous with ids in `findOrganization`.
    if (typeof input.slug !== "string" || !SLUG.test(input.slug) || !/[a-z]/.test(input.slug)) {
      throw new BadUserInputError("slug", "The slug must be lowercase letters, digits and dashes (at most 64), with at least one letter.");
    }
    const kind = (input.kind ?? "AGENCY") as OrganizationKind;
    if (!ORGANIZATION_KINDS.includes(kind)) {
      throw new BadUserInputError("kind", `The kind must be one of ${ORGANIZATION_KINDS.join(", ")}.`);
    }
    if (this.db.select().from(organizations).where(eq(organizations.slug, input.slug)).get()) {
      throw new ConflictError("slug", `An organization with the slug "${input.slug}" already exists.`);
    }
    const row = this.db.insert(organizations).values({ name, slug: input.slug, kind }).returning().get();
    this.audit.record({ organizationId: row.id, apiKeyId: null }, "organization.create", { type: "Organization", id: row.id }, null, row);
    return row;
  }

  listOrganizations(): OrganizationRow[] {
    return this.db.select().from(organizations).orderBy(asc(organizations.id)).all();
  }

  /** An organization by slug or numeric id. */
  findOrganization(slugOrId: string): OrganizationRow {
    const byId = /^\d+$/.test(slugOrId) ? eq(organizations.id, Number(slugOrId)) : undefined;
    const row = this.db
      .select()
      .from(organizations)
      .where(byId ? or(byId, eq(organizations.slug, slugOrId)) : eq(organizations.slug, slugOrId))
      .get();
    if (!row) throw new NotFoundError("Organization", slugOrId, "org");
    return row;
  }

  /** The caller's organization and key. */
  viewer(actor: { organizationId: number; apiKeyId: number }): { organization: OrganizationRow; apiKey: ApiKeyView } {
    const organization = this.db.select().from(organizations).where(eq(organizations.id, actor.organizationId)).get();
    const apiKey = this.db.select().from(apiKeys).where(eq(apiKeys.id, actor.apiKeyId)).get();
    if (!organization || !apiKey) throw new NotFoundError("ApiKey", actor.apiKeyId);
    return { organization, apiKey: viewOf(apiKey) };
  }

  /** Issues a key for the organization. `author` is the ADMIN key that asked, or a null key for the command line. */
  @Transactional()
  create(author: AuditAuthor, input: { name: string; role: string }, fields = { name: "name", role: "role" }): NewApiKey {
    const name = checkName(input.name, fields.name);
    const role = checkRole(input.role, fields.role);
    // A prefix collision (1 in 4 billion per pair) is retried rather than reported.
    for (let attempt = 0; ; attempt++) {
      const issued = generateApiKey();
      const clash = this.db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.prefix, issued.prefix)).get();
      if (clash) {
        if (attempt < 5) continue;
        throw new Error("could not find a free API key prefix after 6 attempts");
      }
      const row = this.db
        .insert(apiKeys)
        .values({ organizationId: author.organizationId, name, role, prefix: issued.prefix, keyHash: issued.keyHash })
        .returning()
        .get();
      const apiKey = viewOf(row);
      this.audit.record(author, "apiKey.create", { type: "ApiKey", id: row.id }, null, apiKey);
      return { key: issued.key, apiKey };
    }
  }

  /** Keys of one organization (or of all, for the command line), newest first. */
  listAll(organizationId?: number): ApiKeyView[] {
    return this.db
      .select()
      .from(apiKeys)
      .where(organizationId === undefined ? undefined : eq(apiKeys.organizationId, organizationId))
      .orderBy(desc(apiKeys.id))
      .all()
      .map(viewOf);
  }

  /** Keys of the organization by id (revoked ones included), for the audit trail's `apiKey` field. */
  byIds(organizationId: number, ids: readonly number[]): ApiKeyView[] {
    return this.db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.organizationId, organizationId), inArray(apiKeys.id, [...ids])))
      .all()
      .map(viewOf);
  }

  page(
    organizationId: number,
    options: { includeRevoked: boolean },
    first: number,
    after: string | undefined,
  ): ConnectionShape<ApiKeyView> {
    const where: SQL[] = [eq(apiKeys.organizationId, organizationId)];
    if (!options.includeRevoked) where.push(isNull(apiKeys.revokedAt));
    return pageByIdDesc(this.db, apiKeys, "apiKeys", where, first, after, viewOf);
  }

  /**
   * Revokes a key of the author's organization (`organizationId` null: any organization, for the command line).
   * Revoking is idempotent in effect but reported: a key revoked twice is BAD_USER_INPUT, so a script notices.
   * Through the API, the organization's last active ADMIN key cannot be revoked (nobody could issue keys again).
   */
  @Transactional()
  revoke(
    author: AuditAuthor | null,
    key: { id?: number; prefix?: string },
    field = "id",
    options: { keepLastAdmin: boolean } = { keepLastAdmin: true },
  ): ApiKeyView {
    const match = key.id !== undefined ? eq(apiKeys.id, key.id) : eq(apiKeys.prefix, key.prefix ?? "");
    const scope = author ? and(match, eq(apiKeys.organizationId, author.organizationId)) : match;
    const before = this.db.select().from(apiKeys).where(scope).get();
    if (!before) throw new NotFoundError("ApiKey", key.id ?? key.prefix ?? "", field);
    if (before.revokedAt) throw new BadUserInputError(field, "The API key is already revoked.");
    if (options.keepLastAdmin && before.role === "ADMIN") {
      const admins = this.db
        .select({ n: count() })
        .from(apiKeys)
        .where(and(eq(apiKeys.organizationId, before.organizationId), eq(apiKeys.role, "ADMIN"), isNull(apiKeys.revokedAt)))
        .get()!.n;
      if (admins <= 1) {
        throw new BadUserInputError(field, "This is the organization's last active ADMIN key: create another ADMIN key first.");
      }
    }
    const after = this.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, before.id)).returning().get()!;
    this.onRevoked(before.id);
    this.audit.record(
      author ?? { organizationId: before.organizationId, apiKeyId: null },
      "apiKey.revoke",
      { type: "ApiKey", id: before.id },
      viewOf(before),
      viewOf(after),
    );
    return viewOf(after);
  }
}
