import { z } from 'zod';
import type { SubAgentClient } from './sub-agent-client';
import type { AgentTracer } from '../tracing/agent-tracer';
import { LIMITS } from '../limits';
import { nonBlankText } from '../non-blank-text';
import { defineTool } from '../tools/tool';

/**
 * The sub-agent as a tool: the model hands it a task and gets its answer back as the tool result.
 */
export function createDelegateTool(client: SubAgentClient, timeoutMs: number, tracer: AgentTracer) {
  const delegation = {
    endpoint: client.endpoint,
    agentName: client.agentName,
    via: 'tool',
  } as const;
  return defineTool({
    name: 'delegate_to_subagent',
    description:
      'Hands a self-contained task to the research sub-agent (a separate service with its own tools: knowledge-base search, ' +
      'calculator, Markdown formatting) and returns its answer.',
    argumentsSchema: z
      .object({
        task: nonBlankText()
          .max(LIMITS.maxTaskLength)
          .describe('The task for the sub-agent, in full'),
      })
      .strict(),
    // The sub-agent has its own deadline; the tool's own limit must not cut it short.
    timeoutMs: timeoutMs + 1_000,
    // On behalf of the run's caller: whatever the sub-agent keeps of it stays in that caller's
    // scope.
    run: async ({ task }, { signal, callerScope }) => {
      const answer = await tracer.traceDelegation(delegation, () =>
        client.execute({ task }, { signal, onBehalfOf: callerScope }),
      );
      return {
        response: answer.response,
        total_steps: answer.total_steps,
        stopped_reason: answer.stopped_reason,
      };
    },
  });
}
