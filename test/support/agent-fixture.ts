import { Agent } from '../../src/agent/agent';
import type { GeminiSdk } from '../../src/models/gemini-sdk';
import { GeminiModel } from '../../src/models/gemini/gemini-model';
import { GenaiModel } from '../../src/models/genai/genai-model';
import { InMemoryStore } from '../../src/agent/memory/in-memory-store';
import type { MemoryStore } from '../../src/agent/memory/memory-store';
import type { GeminiEmulator } from '../../src/emulator/emulator-server';
import { createAgentToolRegistry, type Tool } from '../../src/tools';
import type { ModelPricing } from '../../src/models/model-pricing';
import type { AgentMetrics } from '../../src/tracing/agent-metrics';
import { AgentTracer } from '../../src/tracing/agent-tracer';

export interface TestAgentOptions {
  emulator: GeminiEmulator;
  /** The SDK under the adapter (default `generative-ai`, as in production). */
  sdk?: GeminiSdk;
  extraTools?: Tool[];
  memory?: MemoryStore;
  onMemoryFailure?: (error: unknown, operation: string) => void;
  captureContent?: boolean;
  toolTimeoutMs?: number;
  modelTimeoutMs?: number;
  requestTimeoutMs?: number;
  maxModelCalls?: number;
  maxToolResultChars?: number;
  pricing?: ModelPricing;
  metrics?: AgentMetrics;
}

/** The real agent, a real SDK and the real wire, against an emulator the test controls. */
export function createTestAgent({
  emulator,
  sdk = 'generative-ai',
  extraTools = [],
  memory,
  captureContent = false,
  toolTimeoutMs = 2_000,
  modelTimeoutMs = 5_000,
  metrics,
  ...limits
}: TestAgentOptions): Agent {
  return new Agent({
    name: 'test-agent',
    description: 'An agent under test',
    model: new (sdk === 'genai' ? GenaiModel : GeminiModel)({
      apiKey: 'test-key',
      modelName: 'gemini-2.0-flash',
      baseUrl: emulator.url,
    }),
    tools: createAgentToolRegistry(extraTools),
    memory: memory ?? new InMemoryStore(),
    tracer: new AgentTracer({ captureContent, metrics }),
    toolTimeoutMs,
    modelTimeoutMs,
    // Retries as in production, with waits short enough for a test.
    retryPolicy: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
    ...limits,
  });
}
