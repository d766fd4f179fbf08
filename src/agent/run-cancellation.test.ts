import { SpanStatusCode } from '@opentelemetry/api';
import { z } from 'zod';
import { createTestAgent } from '../../test/support/agent-fixture';
import { GEMINI_SDKS } from '../models/gemini-sdk';
import { installInMemoryTracing } from '../../test/support/in-memory-tracing';
import { startGeminiEmulator, type GeminiEmulator } from '../emulator/emulator-server';
import { defineTool } from '../tools/tool';
import { RunError } from './run-budget';

const tracing = installInMemoryTracing();
let emulator: GeminiEmulator;

beforeAll(async () => {
  emulator = await startGeminiEmulator();
});
afterAll(async () => {
  await emulator.close();
  await tracing.shutdown();
});
beforeEach(() => tracing.reset());

/** A tool that says when it starts, then waits until its call is cancelled. */
const waitingTool = (onStart: () => void) =>
  defineTool({
    name: 'wait_for_cancel',
    description: 'Waits until cancelled',
    argumentsSchema: z.object({}).strict(),
    run: (_arguments, { signal }) => {
      onStart();
      return new Promise<never>((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }),
      );
    },
  });

const shutdown = () => new RunError('shutdown_timeout', 'The service is shutting down.');
const outcomeOf = (name: string) => {
  const span = tracing.one(name);
  return { name, status: span.status.code, errorType: span.attributes['error.type'] };
};
const failedWithShutdown = (name: string) => ({
  name,
  status: SpanStatusCode.ERROR,
  errorType: 'shutdown_timeout',
});

describe.each(GEMINI_SDKS)('through @google/%s', (sdk) => {
  describe('a run cancelled by its caller with a reason', () => {
    it('fails with that reason while waiting for the model, on llm.generate and agent.task', async () => {
      emulator.enqueue({ kind: 'hang' });
      const caller = new AbortController();
      const requestsBefore = emulator.requests.length;
      const run = createTestAgent({ sdk, emulator }).run({
        task: 'Anything',
        maxSteps: 3,
        signal: caller.signal,
      });
      while (emulator.requests.length === requestsBefore)
        await new Promise((resolve) => setTimeout(resolve, 5));
      caller.abort(shutdown());

      await expect(run).rejects.toMatchObject({ errorType: 'shutdown_timeout' });
      expect([outcomeOf('llm.generate'), outcomeOf('agent.task')]).toEqual([
        failedWithShutdown('llm.generate'),
        failedWithShutdown('agent.task'),
      ]);
    });

    it('fails with that reason while waiting for a tool, on the tool span and agent.task', async () => {
      emulator.enqueue({
        kind: 'turn',
        parts: [{ functionCall: { name: 'wait_for_cancel', args: {} } }],
      });
      const caller = new AbortController();
      let started!: () => void;
      const toolStarted = new Promise<void>((resolve) => (started = resolve));
      const agent = createTestAgent({
        sdk,
        emulator,
        extraTools: [waitingTool(started)],
        toolTimeoutMs: 5_000,
      });
      const run = agent.run({ task: 'Anything', maxSteps: 3, signal: caller.signal });
      await toolStarted;
      caller.abort(shutdown());

      await expect(run).rejects.toMatchObject({ errorType: 'shutdown_timeout' });
      expect([outcomeOf('tool.wait_for_cancel'), outcomeOf('agent.task')]).toEqual([
        failedWithShutdown('tool.wait_for_cancel'),
        failedWithShutdown('agent.task'),
      ]);
    });

    it('still reports a client that left as request_cancelled', async () => {
      emulator.enqueue({ kind: 'hang' });
      const caller = new AbortController();
      const requestsBefore = emulator.requests.length;
      const run = createTestAgent({ sdk, emulator }).run({
        task: 'Anything',
        maxSteps: 3,
        signal: caller.signal,
      });
      while (emulator.requests.length === requestsBefore)
        await new Promise((resolve) => setTimeout(resolve, 5));
      caller.abort(new Error('client disconnected'));

      await expect(run).rejects.toMatchObject({ errorType: 'request_cancelled' });
    });
  });
});
