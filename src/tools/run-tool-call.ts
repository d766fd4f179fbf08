import { startDeadline } from '../deadline';
import { TypedError } from '../errors';
import type { ToolRegistry } from './registry';
import type { JsonObject, ToolCall } from './tool';
import { describeNonFiniteResult } from './finite-numbers';
import { ToolError } from './tool-errors';

export interface RunToolCallOptions {
  timeoutMs: number;
  /** The request's signal: a cancelled request cancels its tools. */
  signal?: AbortSignal;
  /** Handed to the tool (see `ToolContext`). */
  callerScope?: string;
}

function describeIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): string {
  return issues
    .map((issue) =>
      issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    )
    .join('; ');
}

/**
 * Looks the tool up, validates the model's arguments and runs it within its time limit.
 * Every failure is a `ToolError`, which the agent hands back to the model as the call's result;
 * so is a result holding a number JSON cannot carry (src/tools/finite-numbers.ts).
 */
export async function runToolCall(
  registry: ToolRegistry,
  call: ToolCall,
  options: RunToolCallOptions,
): Promise<JsonObject> {
  const tool = registry.get(call.name);
  if (!tool) {
    throw new ToolError(
      'tool_not_found',
      `Unknown tool "${call.name}". Available tools: ${registry.names.join(', ')}.`,
    );
  }
  const parsed = tool.argumentsSchema.safeParse(call.arguments);
  if (!parsed.success) {
    throw new ToolError(
      'invalid_arguments',
      `Invalid arguments for ${call.name}: ${describeIssues(parsed.error.issues)}`,
    );
  }

  const timeoutMs = tool.timeoutMs ?? options.timeoutMs;
  const deadline = startDeadline(
    timeoutMs,
    options.signal,
    () => new ToolError('tool_timeout', `${call.name} did not finish within ${timeoutMs} ms`),
  );
  // A tool that ignores its signal still loses the race at its deadline. A cancelled request
  // aborts the tool's signal too; the tool then says how it stopped.
  const timeout = new Promise<never>((_, reject) => {
    deadline.signal.addEventListener(
      'abort',
      () => deadline.expired && reject(deadline.signal.reason),
      { once: true },
    );
  });
  try {
    const result = await Promise.race([
      Promise.resolve(
        tool.run(parsed.data, { signal: deadline.signal, callerScope: options.callerScope }),
      ),
      timeout,
    ]);
    const notFinite = describeNonFiniteResult(result);
    if (notFinite) throw new ToolError('tool_failed', `${call.name} failed: ${notFinite}`);
    return result;
  } catch (error) {
    if (error instanceof ToolError) throw error;
    // A request cut for a stated reason (graceful shutdown's `shutdown_timeout`): the tool span
    // says so.
    if (options.signal?.aborted && options.signal.reason instanceof TypedError)
      throw options.signal.reason;
    const message = error instanceof Error ? error.message : String(error);
    // An MCP server's error already says which tool failed (the tool service's does): once is
    // enough for the model.
    const said = `${call.name} failed: `;
    throw new ToolError('tool_failed', message.startsWith(said) ? message : said + message, {
      cause: error,
    });
  } finally {
    deadline.dispose();
  }
}
