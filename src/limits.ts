/**
 * The defaults of every limit, in one place: the configuration (src/config.ts) reads its defaults
 * from here, and so do the classes that can be used without it (the agent, memory, retries,
 * shutdown), so that the two can never disagree. No imports: the register module loads this
 * before the app.
 */
export const LIMITS = {
  modelTimeoutMs: 30_000,
  modelMaxAttempts: 4,
  toolTimeoutMs: 10_000,
  requestTimeoutMs: 120_000,
  maxModelCalls: 40,
  maxToolResultChars: 16_000,
  memoryMaxSessions: 1_000,
  memoryMaxTurns: 20,
  subAgentTimeoutMs: 20_000,
  shutdownTimeoutMs: 10_000,
  /** Reconnecting to an MCP server that was down: the first retry, doubling up to the last. */
  mcpRetryInitialDelayMs: 1_000,
  mcpRetryMaxDelayMs: 30_000,
  /** An execute request: the task's length, the length of `user_id` / `session_id`, and `max_steps`. */
  maxTaskLength: 8_000,
  maxIdLength: 128,
  defaultMaxSteps: 10,
  maxStepsLimit: 25,
} as const;
