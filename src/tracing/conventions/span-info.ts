/**
 * What our code knows about each piece of work it traces: the input of the naming table
 * (conventions.ts), which turns it into span names, kinds and attributes.
 */

export interface TaskSpanInfo {
  agentName: string;
  agentDescription?: string;
  task: string;
  userId?: string;
  sessionId?: string;
  requestModel?: string;
  maxSteps?: number;
  /** Opt-in content: the agent's system instruction. */
  systemInstruction?: string;
}

export interface LlmCallInfo {
  requestModel: string;
  providerName: string;
  stepNumber: number;
  /** The model endpoint, for `server.address` / `server.port`. */
  endpoint?: URL;
  /** Opt-in content, in the GenAI message format. */
  inputMessages?: unknown;
  /** Opt-in content: the system instruction sent with the call. */
  systemInstruction?: string;
}

export interface ToolCallInfo {
  toolName: string;
  /**
   * False when the model asked for a tool that does not exist: the span is then `tool.unknown`, so
   * made-up names cannot multiply span names.
   */
  known?: boolean;
  callId: string;
  description?: string;
  arguments?: unknown;
  /** The agent running the tool. */
  agentName?: string;
}

/** A tool call with its name bounded: a made-up name is `unknown`. */
export interface ToolSpanInfo extends ToolCallInfo {
  boundedName: string;
}

export interface AgentStepInfo {
  stepNumber: number;
  stepType: string;
  /** The names of the tools the step calls, in the model's order. */
  toolCalls?: readonly string[];
}

export type MemoryOperation = 'read' | 'write' | 'search' | 'erase';

/** Where memory lives: in the process, or in PostgreSQL (see `MEMORY_BACKEND_IN_MEMORY`). */
export type MemoryBackend = 'in_memory' | 'postgresql';

export interface MemoryOperationInfo {
  operation: MemoryOperation;
  /** `all` for erasure, which removes both kinds. */
  memoryType: 'short_term' | 'long_term' | 'all';
  backend: string;
}

/** What a memory operation did: records found, written or erased; of those found, how many used. */
export interface MemoryOutcome {
  records: number;
  used?: number;
}

export interface DelegationInfo {
  /** The remote agent's endpoint, for `server.address` / `server.port`. */
  endpoint: URL;
  /** The remote agent's name (`gen_ai.agent.name`). */
  agentName: string;
  /**
   * Who delegates: the `/delegate` route, or the model through the `delegate_to_subagent` tool (a
   * tool span is then already open).
   */
  via: 'route' | 'tool';
}

/** What one streamed model call saw. */
export interface StreamProgress {
  chunks: number;
  /** Unset when no chunk came. */
  firstChunkSeconds?: number;
}
