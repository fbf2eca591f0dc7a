/**
 * The servers `npm run bench:load` measures ours against, each started in its own process like ours:
 *
 * - `floor`: a minimal hand-written node:http handler serving the same reads with the same SQL. It calls the same
 *   service methods our resolvers and DataLoaders call (authentication included), in the same batches, and writes
 *   the JSON by hand: no GraphQL, no context, no plugins, no logs, no metrics. `POST /trivial` answers the trivial
 *   operation's bytes with no work at all (the bare node:http handler).
 * - `stock`: Apollo Server's own `startStandaloneServer` with its defaults, serving the same schema with the same
 *   context (authentication, loaders), for the trivial operation (after the same reads as ours, as a warm-up).
 *
 * usage: node --import tsx test/bench/load-servers.ts floor|stock   (DATABASE_PATH; prints "listening <origin>")
 */
import "reflect-metadata";

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";

import { RateLimits } from "../../server/access/rate-limits.js";
import { loadConfig } from "../../server/config.js";
import { createContext, type Context } from "../../server/context.js";
import { openDatabase } from "../../server/db.js";
import { newRequestRecord } from "../../server/ops/request-record.js";
import { getSchema } from "../../server/schema.js";
import { createServices } from "../../server/services.js";

const mode = process.argv[2];
const config = loadConfig({ ...process.env, NODE_ENV: "production", PORT: "0" });
const db = openDatabase({ path: config.databasePath, busyTimeoutMs: config.busyTimeoutMs });
const services = createServices(db);

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const TRIVIAL = JSON.stringify({ data: { __typename: "Query" } });

/** The influencer page: the statements the influencer query's loaders run, batch for batch. */
async function influencerPage(id: number) {
  const influencer = services.influencers.getById(id);
  const [categories, accounts] = [services.influencers.categoriesOf([id]), services.influencers.accountsOf([id])];
  const accountIds = accounts.map((a) => a.id);
  const [audience, posts] = [services.influencers.audienceOf(accountIds), services.engagement.recentPostsOf(accountIds, 5)];
  const latest = services.engagement.latestMetricsOf(posts.map((p) => p.id));
  const latestByPost = new Map(latest.map((m) => [m.postId, m]));
  return {
    id: String(influencer.id),
    name: influencer.name,
    country: influencer.country,
    categories: categories.map((c) => c.category),
    accounts: accounts.map((a) => ({
      id: String(a.id),
      platform: a.platform,
      handle: a.handle,
      followers: a.followers,
      engagementRate: a.engagementRate,
      audience: audience.filter((s) => s.accountId === a.id && s.dimension === "COUNTRY").map((s) => ({ key: s.key, share: s.share })),
      recentPosts: posts
        .filter((p) => p.accountId === a.id)
        .map((p) => {
          const m = latestByPost.get(p.id);
          return { externalId: p.externalId, publishedAt: p.publishedAt.toISOString(), latestMetrics: m ? { likes: m.likes, comments: m.comments, views: m.views } : null };
        }),
    })),
  };
}

async function floor(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === "/trivial") {
    await body(req);
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(TRIVIAL) });
    res.end(TRIVIAL);
    return;
  }
  const { actor } = services.access.authenticate(req.headers.authorization);
  if (!actor) return send(res, 401, { error: "unauthenticated" });
  const input = JSON.parse((await body(req)) || "{}") as { id?: string; brief?: never; first?: number };
  switch (url.pathname) {
    case "/influencer":
      return send(res, 200, { data: { influencer: await influencerPage(Number(input.id)) } });
    case "/discover": {
      const page = await services.discovery.discover(actor, input.brief!, input.first ?? 20, undefined);
      const ids = page.edges.map((e) => e.accountId);
      const accounts = new Map(services.influencers.accountsByIds(ids).map((a) => [a.id, a]));
      const influencers = new Map(services.influencers.byIds([...new Set(page.edges.map((e) => e.influencerId))]).map((i) => [i.id, i]));
      return send(res, 200, {
        data: {
          discover: {
            totalCount: page.totalCount,
            edges: page.edges.map((e) => {
              const a = accounts.get(e.accountId)!;
              const explanation = e.explanation;
              return {
                rank: e.rank,
                score: e.score,
                node: { id: String(a.id), platform: a.platform, handle: a.handle, followers: a.followers },
                influencer: { id: String(e.influencerId), name: influencers.get(e.influencerId)!.name },
                explanation: {
                  trust: explanation.trust,
                  matchedKeywords: explanation.matchedKeywords,
                  factors: explanation.factors.map((f) => ({ factor: f.factor, contribution: f.contribution })),
                },
              };
            }),
          },
        },
      });
    }
    case "/report": {
      const campaign = services.campaigns.get(actor, Number(input.id));
      const report = services.campaignReports.report({ id: campaign.id, currency: campaign.currency }, {});
      const influencers = new Map(services.influencers.byIds(report.creators.map((c) => c.influencerId)).map((i) => [i.id, i]));
      const t = report.totals;
      return send(res, 200, {
        data: {
          campaign: {
            name: campaign.name,
            performance: {
              totals: { likes: t.likes, comments: t.comments, views: t.views, engagements: t.engagements, spend: { amountMinor: t.spend.amountMinor }, costPerEngagementMinor: t.costPerEngagementMinor, returnOnAdSpend: t.returnOnAdSpend },
              creators: report.creators.map((c) => ({
                influencer: { name: influencers.get(c.influencerId)!.name },
                followers: c.followers,
                metrics: { likes: c.metrics.likes, engagements: c.metrics.engagements, costPerEngagementMinor: c.metrics.costPerEngagementMinor },
              })),
            },
          },
        },
      });
    }
    default:
      return send(res, 404, { error: "not found" });
  }
}

async function main(): Promise<void> {
  if (mode === "floor") {
    await services.discovery.sync();
    const server = createServer((req, res) => {
      floor(req, res).catch((error: unknown) => send(res, 500, { error: String(error) }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    process.stdout.write(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
  } else if (mode === "stock") {
    // It takes the same reads as ours before the comparison (see load-bench.ts): the discovery index is built first.
    await services.discovery.sync();
    const rateLimits = new RateLimits(config.rateLimits);
    const apollo = new ApolloServer<Context>({ schema: getSchema() });
    const { url } = await startStandaloneServer(apollo, {
      listen: { port: 0, host: "127.0.0.1" },
      context: async ({ req }) =>
        createContext(services, config, rateLimits, {
          authorization: req.headers.authorization,
          clientAddress: req.socket.remoteAddress ?? "unknown",
          record: newRequestRecord(undefined),
        }),
    });
    process.stdout.write(`listening ${url.replace(/\/$/, "")}\n`);
  } else {
    process.stderr.write("usage: load-servers.ts floor|stock\n");
    process.exit(2);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
