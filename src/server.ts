/**
 * The agent service's entry point: `node --require ./dist/tracing/register.js dist/server.js`.
 * Everything is composed here; `createApp()` itself never listens.
 */
import { Agent } from './agent/agent';
import { createChatModel } from './agent/create-chat-model';
import { InMemoryStore } from './agent/memory/in-memory-store';
import { createApp } from './app';
import { loadConfig } from './config';
import { createAgentRouter } from './http/agent-routes';
import { installGracefulShutdown, listen, urlOf } from './http/listen';
import { createLogger } from './logger';
import { createAgentToolRegistry } from './tools';
import { AgentTracer } from './tracing/agent-tracer';

const SYSTEM_INSTRUCTION =
  'You are traced-agent, an assistant for a workshop on distributed tracing. Use the tools when they help: ' +
  'call several tools in the same turn when they do not depend on each other. Answer concisely and state the tool results you used.';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, config.tracing.serviceName);
  const chatModel = await createChatModel(config.gemini, logger);
  const agent = new Agent({
    name: config.agentName,
    description: 'Answers tasks with a calculator, a knowledge-base search, a clock and a Markdown formatter.',
    model: chatModel.model,
    tools: createAgentToolRegistry(),
    memory: new InMemoryStore({ maxSessions: config.memory.maxSessions, maxTurnsPerSession: config.memory.maxTurnsPerSession }),
    tracer: new AgentTracer({
      captureContent: config.tracing.captureMessageContent,
      maxAttributeLength: config.tracing.maxAttributeLength,
    }),
    systemInstruction: SYSTEM_INSTRUCTION,
    toolTimeoutMs: config.toolTimeoutMs,
    modelTimeoutMs: config.gemini.timeoutMs,
  });

  let accepting = true;
  const app = createApp({ logger, routers: [createAgentRouter(agent)], isReady: () => accepting });
  const server = await listen(app, config.port, config.host);
  installGracefulShutdown(server, { logger, release: chatModel.close, onStopping: () => (accepting = false) });
  logger.info(
    { url: urlOf(server), model: config.gemini.model, offline: chatModel.offline, tracesExporter: config.tracing.exporters.join(',') },
    'agent service listening',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`agent service failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
