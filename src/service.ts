import type { Router } from 'express';
import type { Logger } from 'pino';
import { Agent } from './agent/agent';
import { createChatModel } from './compose/create-chat-model';
import { DEFAULT_RETRY_POLICY } from './agent/retry-policy';
import { InMemoryStore } from './agent/memory/in-memory-store';
import { createApp } from './app';
import { loadConfig, type AppConfig, type ServiceDefaults } from './config';
import { installGracefulShutdown } from './http/graceful-shutdown';
import { listen, urlOf } from './http/listen';
import { RunSlots } from './http/run-slots';
import { createLogger } from './logger';
import type { ToolRegistry } from './tools';
import { AgentTracer } from './tracing/agent-tracer';
import { knownSecretsOf } from './tracing/known-secrets';
import { describeSampler } from './tracing/sampler-setting';

export interface ServiceSpec {
  defaults: ServiceDefaults;
  agentDescription: string;
  systemInstruction: string;
  tools(config: AppConfig): ToolRegistry;
  routers(context: { agent: Agent; config: AppConfig; tracer: AgentTracer; logger: Logger }): Router[];
}

/**
 * Composes and starts one agent service: configuration, logger, model (real or offline), agent,
 * app, listener, graceful shutdown. Both entry points (agent and sub-agent) are this plus a spec.
 */
export async function startService(spec: ServiceSpec): Promise<void> {
  const config = loadConfig(process.env, spec.defaults);
  const logger = createLogger(config.logLevel, config.tracing.serviceName, knownSecretsOf(config));
  const chatModel = await createChatModel(config.gemini, logger);
  const tracer = new AgentTracer({
    captureContent: config.tracing.captureMessageContent,
    maxAttributeLength: config.tracing.maxAttributeLength,
  });
  const agent = new Agent({
    name: config.agentName,
    description: spec.agentDescription,
    model: chatModel.model,
    tools: spec.tools(config),
    memory: new InMemoryStore(config.memory),
    tracer,
    systemInstruction: spec.systemInstruction,
    toolTimeoutMs: config.toolTimeoutMs,
    modelTimeoutMs: config.gemini.timeoutMs,
    requestTimeoutMs: config.requestTimeoutMs,
    maxModelCalls: config.maxModelCalls,
    retryPolicy: { ...DEFAULT_RETRY_POLICY, maxAttempts: config.modelMaxAttempts },
    maxToolResultChars: config.maxToolResultChars,
    propagateToModelApi: config.tracing.propagateToModelApi,
  });
  if (!config.apiKeys.length) logger.warn('AGENT_API_KEYS is not set: the API is open to anyone who can reach it');

  let accepting = true;
  const app = createApp({
    logger,
    routers: spec.routers({ agent, config, tracer, logger }),
    isReady: () => accepting,
    apiKeys: config.apiKeys,
    rateLimitPerMinute: config.rateLimitPerMinute,
    runSlots: new RunSlots(config.maxConcurrentRuns),
  });
  const server = await listen(app, config.port, config.host);
  installGracefulShutdown(server, {
    logger,
    release: chatModel.close,
    onStopping: () => (accepting = false),
    timeoutMs: config.shutdownTimeoutMs,
  });
  logger.info(
    {
      url: urlOf(server),
      model: config.gemini.model,
      offline: chatModel.offline,
      tracesExporter: config.tracing.exporters.join(','),
      sampler: config.tracing.sdkDisabled ? 'none (OTEL_SDK_DISABLED=true)' : describeSampler(config.tracing.sampler),
    },
    `${config.tracing.serviceName} listening`,
  );
}

export function exitOnStartFailure(error: unknown): never {
  process.stderr.write(`failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
