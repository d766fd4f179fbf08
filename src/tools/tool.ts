import type { z } from 'zod';
export type JsonObject = { [key: string]: unknown };

/** What the model asked for. Untrusted: the name and arguments come from model output. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: JsonObject;
}

/**
 * A tool as a model is told about it: the JSON Schema of its arguments, derived from the zod
 * schema.
 */
export interface ToolDeclaration {
  name: string;
  description: string;
  parameters: JsonObject;
}

export interface ToolContext {
  /** Aborted when the tool's time is up or the request is cancelled. */
  signal: AbortSignal;
  /** The memory scope of the run's caller, for a tool that calls another service on its behalf. */
  callerScope?: string;
}

export interface Tool<Schema extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  /**
   * Validates the model's arguments before `run`; also the source of the JSON schema the model
   * sees.
   */
  argumentsSchema: Schema;
  /**
   * The JSON Schema the model sees, when it is given rather than derived from `argumentsSchema`:
   * a remote tool's own declaration, which its server validates.
   */
  parameters?: JsonObject;
  /** This tool's own time limit, when the default does not fit (a call to another service). */
  timeoutMs?: number;
  /**
   * A use of the tool that `npm run eval` runs as a case of its own (docs/evaluations.md): what a
   * user asks, the arguments the call must carry, what the answer must state (text or `{matches}`).
   */
  example?: {
    task: string;
    args: z.input<Schema>;
    facts: readonly (string | { matches: string })[];
  };
  run(args: z.infer<Schema>, context: ToolContext): Promise<JsonObject> | JsonObject;
}

/** Keeps the schema's type for `run`, so each tool file is checked against its own arguments. */
export function defineTool<Schema extends z.ZodType>(tool: Tool<Schema>): Tool<Schema> {
  return tool;
}
