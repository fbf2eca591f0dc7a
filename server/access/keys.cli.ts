/**
 * `npm run keys -- <command>`: manages organizations and API keys in the database the server uses
 * (`DATABASE_PATH`, default ./data/influencegraph.db).
 *
 *   orgs                                                   list organizations
 *   create-org --name NAME --slug SLUG [--kind AGENCY|BRAND]
 *   create --org SLUG|ID --role ADMIN|MANAGER|ANALYST --name NAME     prints the key once
 *   list [--org SLUG|ID] [--all]                           keys (active only unless --all); never hashes
 *   revoke PREFIX                                          the command line may revoke the last ADMIN key
 *
 * `--json` on any command prints machine-readable output. Exit code 0 on success, 1 with a one-line message when
 * the database refuses (unknown organization, bad role, duplicate slug...), 2 with the usage for a bad command line.
 */
// The services reach type-graphql classes (connection types), which read decorator metadata: load it first.
import "reflect-metadata";

import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

import { API_KEY_ROLES, ORGANIZATION_KINDS } from "../../schema/enums.js";
import { ConfigError, loadConfig } from "../config.js";
import { closeDatabase, openDatabase, type Db } from "../db.js";
import { AppError } from "../errors.js";
import { createServices, type Services } from "../services.js";
import type { ApiKeyView, OrganizationRow } from "./api-key.service.js";

export interface KeysCliIo {
  env: NodeJS.ProcessEnv;
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
}

const RUN = "npm run keys --";

export const KEYS_HELP = `Manages organizations and API keys in the InfluenceGraph database ($DATABASE_PATH, default ./data/influencegraph.db).

usage: ${RUN} <command> [options]

commands:
  orgs                                       list organizations with their number of active keys
  create-org --name NAME --slug SLUG [--kind ${ORGANIZATION_KINDS.join("|")}]
                                             create an organization (kind defaults to AGENCY)
  create --org SLUG|ID --role ${API_KEY_ROLES.join("|")} --name NAME
                                             issue a key; it is printed once and only its hash is stored
  list [--org SLUG|ID] [--all]               list keys (active ones unless --all); never shows hashes
  revoke PREFIX                              revoke a key by its prefix (or --prefix PREFIX); may revoke
                                             an organization's last ADMIN key, with a warning

options:
  --json                                     machine-readable output (for create: the key included)
  --help                                     show this text

examples:
  ${RUN} create-org --name "Acme Agency" --slug acme
  ${RUN} create --org acme --role ADMIN --name "Alice (ops)"
  ${RUN} list --org acme --all
  ${RUN} revoke 1a2b3c4d
  npm run --silent keys -- list --json       (--silent keeps npm's banner out of the JSON)

Exit code 0 on success, 1 when the change is refused, 2 for a bad command line.`;

class UsageError extends Error {}

const OPTIONS = {
  help: { type: "boolean", short: "h" },
  json: { type: "boolean" },
  all: { type: "boolean" },
  org: { type: "string" },
  role: { type: "string" },
  name: { type: "string" },
  slug: { type: "string" },
  kind: { type: "string" },
  prefix: { type: "string" },
} as const;

type OptionName = keyof typeof OPTIONS;
type Values = { [K in OptionName]?: (typeof OPTIONS)[K]["type"] extends "boolean" ? boolean : string };

interface Command {
  /** Options the command accepts besides --json and --help; `required` ones must be given. */
  options: OptionName[];
  required: OptionName[];
  /** How many positional arguments it takes after the command name. */
  positionals: number;
  run(ctx: Context): void;
}

interface Context {
  services: Services;
  db: Db;
  databasePath: string;
  values: Values;
  positionals: string[];
  io: KeysCliIo;
}

const COMMANDS: Record<string, Command> = {
  orgs: { options: [], required: [], positionals: 0, run: listOrganizations },
  "create-org": { options: ["name", "slug", "kind"], required: ["name", "slug"], positionals: 0, run: createOrganization },
  create: { options: ["org", "role", "name"], required: ["org", "role", "name"], positionals: 0, run: createKey },
  list: { options: ["org", "all"], required: [], positionals: 0, run: listKeys },
  revoke: { options: ["prefix"], required: [], positionals: 1, run: revokeKey },
};

/** Runs the command line (argv without node and the script) and returns the exit code. */
export function runKeysCli(argv: readonly string[], io: KeysCliIo): number {
  let parsed: ParsedCommandLine;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`keys: ${error.message}\n\n${KEYS_HELP}\n`);
    return 2;
  }
  if (!parsed.command) {
    io.stdout.write(`${KEYS_HELP}\n`);
    return 0;
  }

  let databasePath: string;
  let db: Db;
  try {
    // Only the database location matters here: an unrelated bad variable (PORT=x) must not block key management.
    databasePath = loadConfig({ DATABASE_PATH: io.env.DATABASE_PATH }).databasePath;
  } catch (error) {
    io.stderr.write(`keys: ${error instanceof ConfigError ? error.message : String(error)}\n`);
    return 1;
  }
  try {
    db = openDatabase({ path: databasePath });
  } catch (error) {
    io.stderr.write(`keys: cannot open the database ${databasePath}: ${firstLine(error)}\n`);
    return 1;
  }
  try {
    parsed.command.run({ services: createServices(db), db, databasePath, values: parsed.values, positionals: parsed.positionals, io });
    return 0;
  } catch (error) {
    io.stderr.write(`keys: ${explain(error, parsed.values, parsed.positionals)}\n`);
    return 1;
  } finally {
    closeDatabase(db);
  }
}

interface ParsedCommandLine {
  /** Undefined: show the help. */
  command: Command | undefined;
  values: Values;
  /** The positional arguments after the command's name. */
  positionals: string[];
}

function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [command, ...rest] = positionals;
  if (values.help || (command === undefined && argv.length === 0) || command === "help") {
    return { command: undefined, values, positionals: rest };
  }
  if (command === undefined) throw new UsageError("a command is needed");
  const spec = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!spec) throw new UsageError(`unknown command '${command}'`);
  for (const name of Object.keys(values) as OptionName[]) {
    if (name !== "json" && name !== "help" && !spec.options.includes(name)) {
      throw new UsageError(`${command} does not take --${name}`);
    }
  }
  for (const name of spec.required) {
    if (values[name] === undefined) throw new UsageError(`${command} needs --${name}`);
  }
  if (command === "revoke") {
    const given = rest.length + (values.prefix === undefined ? 0 : 1);
    if (given !== 1) throw new UsageError("revoke needs exactly one key prefix (revoke PREFIX or revoke --prefix PREFIX)");
  } else if (rest.length > spec.positionals) {
    throw new UsageError(`unexpected argument '${rest[spec.positionals]}'`);
  }
  return { command: spec, values, positionals: rest };
}

// ---------------------------------------------------------------------------------------------------- commands

function listOrganizations({ services, databasePath, values, io }: Context): void {
  const orgs = services.apiKeys.listOrganizations();
  const active = new Map<number, number>();
  for (const key of services.apiKeys.listAll()) {
    if (!key.revokedAt) active.set(key.organizationId, (active.get(key.organizationId) ?? 0) + 1);
  }
  if (values.json) {
    writeJson(io, orgs.map((org) => ({ ...organizationJson(org), activeKeys: active.get(org.id) ?? 0 })));
    return;
  }
  if (orgs.length === 0) {
    io.stdout.write(`No organizations in ${databasePath}. Create one: ${RUN} create-org --name "Acme Agency" --slug acme\n`);
    return;
  }
  writeTable(
    io,
    ["ID", "SLUG", "NAME", "KIND", "ACTIVE KEYS"],
    orgs.map((org) => [String(org.id), org.slug, org.name, org.kind, String(active.get(org.id) ?? 0)]),
  );
}

function createOrganization({ services, values, io }: Context): void {
  const org = services.apiKeys.createOrganization({ name: values.name!, slug: values.slug!, kind: values.kind?.toUpperCase() });
  if (values.json) {
    writeJson(io, organizationJson(org));
    return;
  }
  io.stdout.write(
    `Created organization ${org.slug} (id ${org.id}, ${org.kind}): ${org.name}\n` +
      `Next, issue its first key: ${RUN} create --org ${org.slug} --role ADMIN --name "<who it is for>"\n`,
  );
}

function createKey({ services, values, io }: Context): void {
  const org = services.apiKeys.findOrganization(values.org!);
  const issued = services.apiKeys.create(
    { organizationId: org.id, apiKeyId: null },
    { name: values.name!, role: values.role!.toUpperCase() },
  );
  if (values.json) {
    writeJson(io, { key: issued.key, apiKey: keyJson(issued.apiKey, org) });
    return;
  }
  const { apiKey } = issued;
  io.stdout.write(
    [
      `Created API key ${apiKey.prefix} for organization ${org.slug} ("${org.name}"): role ${apiKey.role}, name "${apiKey.name}".`,
      "",
      `    ${issued.key}`,
      "",
      "Store it now; it cannot be shown again (only its hash is kept).",
      "Send it as `Authorization: Bearer <key>`; revoke it with " + `\`${RUN} revoke ${apiKey.prefix}\`.`,
      "",
    ].join("\n"),
  );
}

function listKeys({ services, values, io }: Context): void {
  const org = values.org === undefined ? undefined : services.apiKeys.findOrganization(values.org);
  const slugs = new Map(services.apiKeys.listOrganizations().map((o) => [o.id, o] as const));
  const keys = services.apiKeys.listAll(org?.id).filter((key) => values.all || !key.revokedAt);
  if (values.json) {
    writeJson(io, keys.map((key) => keyJson(key, slugs.get(key.organizationId))));
    return;
  }
  if (keys.length === 0) {
    const scope = org ? ` for organization ${org.slug}` : "";
    io.stdout.write(
      `No ${values.all ? "" : "active "}API keys${scope}. Create one: ` +
        `${RUN} create --org ${org?.slug ?? "<slug>"} --role ADMIN --name "<who it is for>"\n`,
    );
    return;
  }
  writeTable(
    io,
    ["PREFIX", "ORG", "NAME", "ROLE", "CREATED", "LAST USED", "REVOKED"],
    keys.map((key) => [
      key.prefix,
      slugs.get(key.organizationId)?.slug ?? String(key.organizationId),
      key.name,
      key.role,
      formatTime(key.createdAt),
      key.lastUsedAt ? formatTime(key.lastUsedAt) : "never",
      key.revokedAt ? formatTime(key.revokedAt) : "-",
    ]),
  );
  io.stdout.write("(times in UTC)\n");
}

function revokeKey({ services, db, values, positionals, io }: Context): void {
  const prefix = prefixOf(values.prefix ?? positionals[0]!);
  // One transaction, so "was it the last active ADMIN key?" is answered about exactly this revocation.
  const { revoked, lastAdmin } = db.$client
    .transaction(() => {
      const revoked = services.apiKeys.revoke(null, { prefix }, "prefix", { keepLastAdmin: false });
      const lastAdmin =
        revoked.role === "ADMIN" &&
        !services.apiKeys.listAll(revoked.organizationId).some((key) => key.role === "ADMIN" && !key.revokedAt);
      return { revoked, lastAdmin };
    })
    .immediate();
  const org = services.apiKeys.listOrganizations().find((o) => o.id === revoked.organizationId);
  const slug = org?.slug ?? String(revoked.organizationId);
  if (lastAdmin) {
    io.stderr.write(
      `keys: warning: that was the last active ADMIN key of organization ${slug}; nobody can manage its keys ` +
        `through the API until you issue one: ${RUN} create --org ${slug} --role ADMIN --name "<who it is for>"\n`,
    );
  }
  if (values.json) {
    writeJson(io, { apiKey: keyJson(revoked, org), lastActiveAdminRevoked: lastAdmin });
    return;
  }
  io.stdout.write(`Revoked API key ${revoked.prefix} ("${revoked.name}", ${revoked.role}, organization ${slug}).\n`);
}

// ---------------------------------------------------------------------------------------------------- helpers

/** Accepts the prefix, `ig_<prefix>` or a whole pasted key. */
function prefixOf(given: string): string {
  return /^ig_([0-9a-f]{8})(?:_|$)/.exec(given)?.[1] ?? given;
}

function organizationJson(org: OrganizationRow) {
  return { id: org.id, slug: org.slug, name: org.name, kind: org.kind, createdAt: org.createdAt };
}

function keyJson(key: ApiKeyView, org: OrganizationRow | undefined) {
  return {
    id: key.id,
    prefix: key.prefix,
    name: key.name,
    role: key.role,
    organizationId: key.organizationId,
    organization: org?.slug ?? null,
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt,
    revokedAt: key.revokedAt,
  };
}

function writeJson(io: KeysCliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function writeTable(io: KeysCliIo, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd();
  io.stdout.write(`${[header, ...rows].map(line).join("\n")}\n`);
}

/** `2026-05-01 12:34:56`, UTC. */
function formatTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
}

const OPTION_OF_FIELD: Record<string, string> = {
  name: "--name",
  slug: "--slug",
  kind: "--kind",
  role: "--role",
  org: "--org",
  prefix: "the key prefix",
};

/** One line saying what went wrong and what to do; no stack trace. */
function explain(error: unknown, values: Values, positionals: string[]): string {
  if (!(error instanceof AppError)) return firstLine(error);
  const code = error.extensions.code;
  const field = String(error.extensions.field ?? "");
  const entity = error.extensions.entity;
  if (code === "NOT_FOUND" && entity === "Organization") {
    return `No organization '${values.org}': run \`${RUN} orgs\` to list them.`;
  }
  if (code === "NOT_FOUND" && entity === "ApiKey") {
    const prefix = prefixOf(values.prefix ?? positionals[0] ?? "");
    return `No API key with the prefix '${prefix}': run \`${RUN} list --all\` to list them.`;
  }
  if (code === "CONFLICT" && field === "slug") {
    return `${error.message} Choose another --slug, or run \`${RUN} orgs\` to see the existing ones.`;
  }
  if (code === "BAD_USER_INPUT" && field === "prefix") {
    return `Cannot revoke API key ${prefixOf(values.prefix ?? positionals[0] ?? "")}: ${error.message}`;
  }
  const option = OPTION_OF_FIELD[field];
  return option ? `${option}: ${error.message}` : firstLine(error);
}

function main(): void {
  process.exitCode = runKeysCli(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
