/**
 * Assembles the application: database, services, Apollo Server and the HTTP server. Used by `npm start`
 * (server/main.ts) and by the tests, so both run the same code.
 */
import "reflect-metadata";

import type { AddressInfo } from "node:net";

import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import type { DestinationStream } from "pino";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";

import { limitsPlugin } from "./access/limits.plugin.js";
import { RateLimits } from "./access/rate-limits.js";
import { SupportedOperationTypesRule } from "./common/operation-types.js";
import type { Config } from "./config.js";
import { createContext, type Context } from "./context.js";
import { closeDatabase, openDatabase, type Db } from "./db.js";
import { databaseErrorsPlugin } from "./database-errors.js";
import { createErrorFormatter } from "./errors.js";
import { CachedExecutor } from "./executor.js";
import { createHttpServer, GRAPHQL_PATH } from "./http.js";
import { readinessCheck } from "./ops/health.js";
import { closeLogger, createLogger, type Logger } from "./ops/logger.js";
import { Metrics } from "./ops/metrics.js";
import { observabilityPlugin } from "./ops/observability.plugin.js";
import { getSchema } from "./schema.js";
import { createServices, type Services } from "./services.js";

/** How long shutdown waits for requests in flight before closing their connections. */
const SHUTDOWN_GRACE_MS = 5_000;

export interface App {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  /** Where /health, /ready and /metrics are, e.g. http://127.0.0.1:4000. */
  origin: string;
  port: number;
  db: Db;
  services: Services;
  logger: Logger;
  metrics: Metrics;
  close: () => Promise<void>;
}

export interface AppOptions {
  /** The database, when the caller opened (and seeded) it; otherwise opened from the configuration. */
  db?: Db;
  /** Where the JSON logs go (default stdout). */
  logDestination?: DestinationStream;
}

/** Our validation rules beside graphql-js's, for Apollo and for the direct path alike. */
const VALIDATION_RULES = [SupportedOperationTypesRule];

export function createApollo(config: Config, rateLimits: RateLimits, metrics: Metrics, logger: Logger): ApolloServer<Context> {
  // No cache hints are set anywhere, and the cache-control plugin Apollo installs by default wraps every field
  // resolver to collect them: a cost per field on large responses (a 500-creator campaign report) for nothing.
  const plugins: ApolloServerPlugin<Context>[] = [
    observabilityPlugin(metrics, logger),
    limitsPlugin(config.queryLimits, rateLimits),
    databaseErrorsPlugin(),
    ApolloServerPluginCacheControlDisabled(),
  ];
  if (!config.landingPage) plugins.push(ApolloServerPluginLandingPageDisabled());
  return new ApolloServer<Context>({
    schema: getSchema(),
    introspection: config.introspection,
    includeStacktraceInErrorResponses: config.env === "development",
    // Without introspection, "Did you mean …?" hints would still reveal field names.
    hideSchemaDetailsFromClientErrors: !config.introspection,
    formatError: createErrorFormatter(config.env === "development"),
    validationRules: VALIDATION_RULES,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // main.ts owns SIGINT/SIGTERM: it closes HTTP, Apollo, the discovery worker and the database in order. Apollo's
    // own handler would stop Apollo alone and raise the signal again mid-shutdown.
    stopOnTerminationSignals: false,
    // Compact JSON: Apollo pretty-prints by default, a third more bytes and time on large responses.
    stringifyResult: (value) => JSON.stringify(value),
    plugins,
  });
}

/** Opens the database (migrating it), starts Apollo and listens. */
export async function startApp(config: Config, options: AppOptions = {}): Promise<App> {
  const db = options.db ?? openDatabase({ path: config.databasePath, busyTimeoutMs: config.busyTimeoutMs });
  const logger = createLogger(config.logLevel, options.logDestination);
  const metrics = new Metrics(db, config.databasePath);
  const services = createServices(db);
  // Build the discovery index (in its worker) before serving: at a million accounts it takes seconds, which the
  // first briefs would otherwise spend waiting.
  try {
    await services.discovery.sync();
  } catch (error) {
    await services.discovery.close();
    throw error;
  }
  const rateLimits = new RateLimits(config.rateLimits);
  const apollo = createApollo(config, rateLimits, metrics, logger);
  await apollo.start();
  const executor = new CachedExecutor({
    schema: getSchema(),
    introspection: config.introspection,
    validationRules: VALIDATION_RULES,
    formatError: createErrorFormatter(config.env === "development"),
    includeStacktrace: config.env === "development",
    limits: config.queryLimits,
    rateLimits,
    metrics,
    logger,
  });
  let closing: Promise<void> | undefined;
  const server = createHttpServer<Context>({
    direct: (method, headers, body, context) => executor.tryExecute(method, headers, body, context),
    apollo,
    bodyLimitBytes: config.bodyLimitBytes,
    requestTimeoutMs: config.requestTimeoutMs,
    context: (req, record) =>
      createContext(services, config, rateLimits, {
        authorization: req.headers.authorization,
        clientAddress: req.socket.remoteAddress ?? "unknown",
        record,
      }),
    logger,
    metrics,
    readiness: readinessCheck(db, services.discovery, () => closing !== undefined),
    metricsToken: config.metricsToken,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    // A worker thread left running would keep the process alive after the error is reported.
    await services.discovery.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const origin = `http://${host}:${port}`;
  const index = services.discovery.indexStatus();
  logger.info({ url: `${origin}${GRAPHQL_PATH}`, database: config.databasePath, env: config.env, discoveryAccounts: index?.accounts ?? null }, "server listening");
  return {
    url: `${origin}${GRAPHQL_PATH}`,
    origin,
    port,
    db,
    services,
    logger,
    metrics,
    close: () => {
      closing ??= (async () => {
        logger.info("shutting down: draining requests in flight");
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          // A stalled client must not hold the shutdown forever.
          setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
        });
        await apollo.stop();
        await services.discovery.close();
        closeDatabase(db);
        logger.info("server stopped");
        closeLogger(logger);
      })();
      return closing;
    },
  };
}
