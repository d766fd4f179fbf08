import { runToolCall, ToolRegistry } from '../tools';
import { AgentTracer } from '../tracing/agent-tracer';
import { createDelegateTool } from './delegate-tool';
import type { SubAgentClient } from './sub-agent-client';

describe('delegate_to_subagent', () => {
  it('refuses a task of invisible format characters without calling the sub-agent', async () => {
    const execute = jest.fn();
    const tool = createDelegateTool(
      { execute } as unknown as SubAgentClient,
      1_000,
      new AgentTracer(),
    );
    const call = {
      id: 'call-1',
      name: tool.name,
      arguments: { task: '\u200b \u2060\u00ad\ufeff' },
    };

    await expect(runToolCall(new ToolRegistry([tool]), call, { timeoutMs: 1_000 })).rejects.toThrow(
      'Invalid arguments for delegate_to_subagent: task: must not be empty',
    );
    expect(execute).not.toHaveBeenCalled();
  });
});
