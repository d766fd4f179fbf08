import type { Router } from 'express';
import type { Logger } from 'pino';
import { Agent } from './agent/agent';
import { createChatModel } from './compose/create-chat-model';
import type { MemoryStore } from './agent/memory/memory-store';
import { createApp } from './app';
import { createMemoryStore } from './compose/create-memory-store';
import { memoryCheck } from './compose/readiness-checks';
import { createRecentRuns } from './compose/create-recent-runs';
import { failureLog } from './compose/failure-log';
import { serverErrorLog } from './compose/server-error-log';
import { loadConfig, type AppConfig } from './config';
import type { ApiOperation } from './http/openapi/api-operation';
import { operationsOf, routerOf, type Route } from './http/routes/route';
import { installGracefulShutdown } from './http/graceful-shutdown';
import type { RecentRuns } from './http/recent-runs';
import { listen, urlOf } from './http/listen';
import { edgeCallerOf } from './http/security';
import type { ReadinessCheck } from './http/readiness';
import type { Admission } from './http/admission/admission';
import { createAdmission } from './compose/create-admission';
import { createLogger } from './logger';
import { logFormatFor } from './short-log-lines';
import type { ChatModel } from './models/model';
import { ModelPricing } from './models/model-pricing';
import { LIMITS } from './limits';
import type { ServiceDefaults } from './service-defaults';
import type { ToolRegistry } from './tools';
import { AgentTracer } from './tracing/agent-tracer';
import { conventionsFor } from './tracing/conventions/select-conventions';
import { describeTracing } from './tracing/setup/describe-tracing';

export interface ServiceSpec<Needs> {
  defaults: ServiceDefaults;
  agentDescription: string;
  systemInstruction: string;
  tools(config: AppConfig, context: { logger: Logger; tracer: AgentTracer }): ToolRegistry;
  /** What the service serves, and describes at `/openapi.json` and `/docs`: one list. */
  routes: readonly Route<Needs>[];
  /** What the routes are built from, out of what every agent service has. */
  needs(parts: ServiceParts): Needs;
  /**
   * What this service checks for `/readyz` besides what every service does (not shutting down; the
   * memory database, with `DATABASE_URL`), and the start-up work requests wait for.
   */
  readiness?(config: AppConfig): Readiness;
}

/** What `/readyz` checks, and the start-up work the API's requests wait for (src/app.ts). */
export interface Readiness {
  checks: readonly ReadinessCheck[];
  startup?: Promise<unknown>;
}

/** What every agent service has for its routes. */
export interface ServiceParts {
  agent: Agent;
  /** Whether the process can hold another run: a route asks right before its run. */
  admission: Admission;
  memory: MemoryStore;
  /** The runs that take feedback: in PostgreSQL with `DATABASE_URL`, else in the process. */
  recentRuns: RecentRuns;
  /** Told when a run could not be remembered for feedback (rate-limited in the log). */
  onRecentRunsFailure: (error: unknown) => void;
  /** Told of each failure answered with 5xx, a streamed run's too (see `serverErrorLog`). */
  onServerError: (error: unknown) => void;
  config: AppConfig;
  tracer: AgentTracer;
  logger: Logger;
}

/** The configuration and logger of a service, read once at its start. */
export function loadService(defaults: ServiceDefaults): { config: AppConfig; logger: Logger } {
  const config = loadConfig(process.env, defaults);
  return {
    config,
    logger: createLogger(
      config.logLevel,
      config.tracing.serviceName,
      config.tracing.knownSecrets,
      logFormatFor(config.tracing.environment),
    ),
  };
}

export interface ServeOptions {
  routers: Router[];
  /** The process's admission, which counts the edge's refusals with its own. */
  admission: Admission;
  /** Released on shutdown, once no request is in flight. */
  release?: () => Promise<void>;
  /**
   * False when the routers parse their bodies themselves (the MCP endpoint answers JSON-RPC
   * errors).
   */
  parseJson?: boolean;
  /** Logged with the start-up line. */
  details?: Record<string, unknown>;
  /** Described at `/openapi.json` and `/docs`; without it, neither is served. */
  api?: { description: string; operations: readonly ApiOperation[] };
  /** Told of each failure answered with 5xx; by default `serverErrorLog`. */
  onServerError?: (error: unknown) => void;
  /** What `/readyz` checks besides the shutdown, and the start-up work requests wait for. */
  readiness?: Readiness;
}

/**
 * What every service shares once its routers exist: the app, the listener, graceful shutdown
 * (which flushes spans), and the start-up line.
 */
export async function serve(
  config: AppConfig,
  logger: Logger,
  {
    routers,
    admission,
    release,
    parseJson,
    details,
    api,
    onServerError = serverErrorLog(logger),
    readiness = { checks: [] },
  }: ServeOptions,
): Promise<void> {
  if (!config.apiKeys.length)
    logger.warn('AGENT_API_KEYS is not set: the API is open to anyone who can reach it');
  let accepting = true;
  const shutdown: ReadinessCheck = {
    name: 'shutdown',
    check: () => (accepting ? undefined : 'The service is shutting down.'),
  };
  const app = createApp({
    logger,
    routers,
    isShuttingDown: () => !accepting,
    readinessChecks: [shutdown, ...readiness.checks],
    startup: readiness.startup,
    apiKeys: config.apiKeys,
    rateLimitPerMinute: config.rateLimitPerMinute,
    parseJson,
    api: api && { title: config.tracing.serviceName, ...api },
    onServerError,
  });
  const server = await listen(app, config.port, config.host, {
    onRefused: (reason, request) => admission.refusedAtEdge(reason, edgeCallerOf(request)),
  });
  installGracefulShutdown(server, {
    logger,
    release,
    onStopping: () => (accepting = false),
    drainDelayMs: config.shutdownDrainDelayMs,
    timeoutMs: config.shutdownTimeoutMs,
  });
  logger.info(
    { url: urlOf(server), ...details, ...describeTracing(config.tracing) },
    `${config.tracing.serviceName} listening`,
  );
}

/**
 * Composes and starts one agent service: configuration, logger, model (real or offline), agent,
 * and `serve`. Both agent entry points (agent and sub-agent) are this plus a spec.
 */
export async function startService<Needs>(spec: ServiceSpec<Needs>): Promise<void> {
  const { config, logger } = loadService(spec.defaults);
  const chatModel = await createChatModel(config.gemini, logger);
  const tracer = createTracer(config);
  const memory = await createMemoryStore(config, logger);
  const feedbackRuns = await createRecentRuns(config, logger);
  const onServerError = serverErrorLog(logger);
  const recentRunsFailureLog = failureLog(
    logger,
    'Feedback is unavailable: runs answered without a feedback link',
  );
  const tools = spec.tools(config, { logger, tracer });
  const agent = new Agent({
    name: config.agentName,
    description: spec.agentDescription,
    model: chatModel.model,
    tools,
    memory,
    onMemoryFailure: failureLog(logger, 'Memory is unavailable: runs go on without it'),
    tracer,
    systemInstruction: spec.systemInstruction,
    toolTimeoutMs: LIMITS.toolTimeoutMs,
    modelTimeoutMs: config.gemini.timeoutMs,
    requestTimeoutMs: config.requestTimeoutMs,
    propagateToModelApi: config.tracing.propagateToModelApi,
    pricing: createPricing(config, chatModel.model, logger),
  });
  const own = spec.readiness?.(config) ?? { checks: [] };
  const admission = createAdmission(config.maxConcurrentRuns);
  const needs = spec.needs({
    agent,
    admission,
    memory,
    recentRuns: feedbackRuns.recentRuns,
    onRecentRunsFailure: (error) => recentRunsFailureLog(error, 'remember'),
    onServerError,
    config,
    tracer,
    logger,
  });
  await serve(config, logger, {
    routers: [routerOf(spec.routes, needs)],
    admission,
    release: async () => {
      await Promise.allSettled([chatModel.close(), memory.close(), feedbackRuns.close()]);
    },
    details: {
      model: config.gemini.model,
      offline: chatModel.offline,
      memory: memory.backend,
      maxRunsInFlight: admission.bounds.maxRunsInFlight,
      // Its own, as start-up found them; an MCP server's are logged once they are listed.
      tools: tools.names,
    },
    api: { description: spec.agentDescription, operations: operationsOf(spec.routes) },
    onServerError,
    readiness: { checks: [...own.checks, ...memoryCheck(memory)], startup: own.startup },
  });
}

/** The prices, with one warning at start-up when the model in use has none. */
function createPricing(config: AppConfig, model: ChatModel, logger: Logger): ModelPricing {
  const pricing = new ModelPricing(config.pricing);
  if (!pricing.hasPrice(model.providerName, model.modelName))
    logger.warn(
      { provider: model.providerName, model: model.modelName },
      'The model has no price in the pricing table (MODEL_PRICING_FILE): its calls have no cost',
    );
  return pricing;
}

export function createTracer(config: AppConfig): AgentTracer {
  return new AgentTracer({
    conventions: conventionsFor(config.tracing.genAiConventions),
    captureContent: config.tracing.captureMessageContent,
    maxAttributeLength: config.tracing.maxAttributeLength,
  });
}
