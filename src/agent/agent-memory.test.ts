import { SpanStatusCode } from '@opentelemetry/api';
import { createTestAgent } from '../../test/support/agent-fixture';
import { installInMemoryTracing } from '../../test/support/in-memory-tracing';
import { startGeminiEmulator, type GeminiEmulator } from '../emulator/emulator-server';
import { LIMITS } from '../limits';
import { InMemoryStore } from './memory/in-memory-store';
import type { MemoryStore } from './memory/memory-store';

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

const FACT = 'My cat is called Tortilla and she is fond of anchovies';
const sentToModel = () => JSON.stringify(emulator.requests.at(-1)!.body.contents);

/** A store whose database is down: every operation fails as a connection would. */
function failingStore(): MemoryStore {
  const refuse = async (): Promise<never> => {
    throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
  };
  return {
    backend: 'postgresql',
    read: refuse,
    append: refuse,
    search: refuse,
    erase: refuse,
    close: async () => {},
  };
}

describe('Agent long-term memory', () => {
  it("finds a fact from the user's earlier session and gives it to the model", async () => {
    const agent = createTestAgent({ emulator, memory: new InMemoryStore() });
    await agent.run({ task: FACT, userId: 'ana', sessionId: 'monday', maxSteps: 3 });
    tracing.reset();

    await agent.run({
      task: 'What is my cat fond of?',
      userId: 'ana',
      sessionId: 'tuesday',
      maxSteps: 3,
    });

    expect(sentToModel()).toContain('Tortilla');
    expect(tracing.one('memory.search').attributes).toMatchObject({
      'memory.operation': 'search',
      'memory.type': 'long_term',
      'memory.backend': 'in_memory',
      'memory.records_found': 1,
      'memory.records_used': 1,
    });
  });

  it('never recalls another user, or the same user of another caller', async () => {
    const agent = createTestAgent({ emulator, memory: new InMemoryStore() });
    await agent.run({
      task: FACT,
      userId: 'ana',
      sessionId: 'monday',
      memoryScope: 'key:a',
      maxSteps: 3,
    });

    for (const other of [
      { userId: 'bob', memoryScope: 'key:a' },
      { userId: 'ana', memoryScope: 'key:b' },
    ]) {
      tracing.reset();
      await agent.run({
        task: 'What is my cat fond of?',
        sessionId: 'tuesday',
        maxSteps: 3,
        ...other,
      });
      expect(sentToModel()).not.toContain('Tortilla');
      expect(tracing.one('memory.search').attributes['memory.records_found']).toBe(0);
    }
  });

  it('records what was recalled only with content capture on', async () => {
    const memory = new InMemoryStore();
    const run = (captureContent: boolean, sessionId: string) =>
      createTestAgent({ emulator, memory, captureContent }).run({
        task: 'Tell me about my cat Tortilla',
        userId: 'ana',
        sessionId,
        maxSteps: 3,
      });
    await run(false, 'first');
    tracing.reset();
    await run(false, 'second');
    expect(tracing.one('memory.search').attributes['memory.records_used']).toBe(1);
    expect(tracing.one('memory.search').attributes['memory.content']).toBeUndefined();

    tracing.reset();
    await run(true, 'third');
    expect(String(tracing.one('memory.search').attributes['memory.content'])).toContain('Tortilla');
  });

  it('gives the model no more recalled text than the search bound', async () => {
    const agent = createTestAgent({ emulator, memory: new InMemoryStore() });
    for (let session = 0; session < 5; session += 1) {
      await agent.run({
        task: `Tortilla fact ${session}: ${'anchovies '.repeat(300)}`,
        userId: 'ana',
        sessionId: `s${session}`,
        maxSteps: 3,
      });
    }
    tracing.reset();
    await agent.run({ task: 'Tortilla anchovies', userId: 'ana', sessionId: 'new', maxSteps: 3 });

    const search = tracing.one('memory.search').attributes;
    expect(search['memory.records_found']).toBe(3);
    expect(search['memory.records_used']).toBeLessThan(3);
    const recalled = emulator.requests.at(-1)!.body.contents[0]!.parts[0]!;
    expect('text' in recalled && recalled.text).toMatch(/^Notes from earlier conversations/);
    const recalledText = 'text' in recalled ? recalled.text : '';
    expect(recalledText.length).toBeLessThan(LIMITS.memorySearchMaxChars + 300);
  });
});

describe('Agent with a failing memory store', () => {
  it('answers without memory, with a warning, the memory spans in ERROR and each failure reported', async () => {
    const failures: string[] = [];
    const agent = createTestAgent({
      emulator,
      memory: failingStore(),
      onMemoryFailure: (_error, operation) => failures.push(operation),
    });

    const result = await agent.run({
      task: 'Calculate 6 * 7',
      userId: 'ana',
      sessionId: 's',
      maxSteps: 3,
    });

    expect(result.response).toContain('42');
    expect(result.warnings).toEqual([
      { code: 'memory_unavailable', message: expect.stringMatching(/without earlier turns/) },
    ]);
    for (const name of ['memory.read', 'memory.search', 'memory.write']) {
      expect(tracing.one(name).status).toEqual({
        code: SpanStatusCode.ERROR,
        message: 'connect ECONNREFUSED 127.0.0.1:5432',
      });
    }
    expect(failures).toEqual(['read', 'search', 'write']);
  });

  it('has no warning when memory works', async () => {
    const result = await createTestAgent({ emulator }).run({
      task: 'Calculate 6 * 7',
      maxSteps: 3,
    });
    expect(result.warnings).toEqual([]);
  });
});
