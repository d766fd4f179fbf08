import { fitTurn, InMemoryStore } from './in-memory-store';
import type { ConversationTurn } from './memory-store';

const turn = (task: string, response = ''): ConversationTurn => ({
  task,
  response,
  at: '2026-11-22T00:00:00.000Z',
});
const tasksOf = async (store: InMemoryStore, sessionId: string) =>
  (await store.read(sessionId)).map((kept) => kept.task);
const sizeOf = (turns: ConversationTurn[]) =>
  turns.reduce((sum, kept) => sum + kept.task.length + kept.response.length, 0);

describe('InMemoryStore', () => {
  it('keeps at most maxTurnsPerSession turns, forgetting the oldest first', async () => {
    const store = new InMemoryStore({ maxTurnsPerSession: 2 });
    for (const task of ['one', 'two', 'three']) await store.append('s', turn(task));
    expect(await tasksOf(store, 's')).toEqual(['two', 'three']);
  });

  it('keeps at most maxCharsPerSession characters of tasks and responses, forgetting the oldest turns first', async () => {
    const store = new InMemoryStore({ maxCharsPerSession: 100 });
    await store.append('s', turn('a'.repeat(30), 'A'.repeat(30)));
    await store.append('s', turn('b'.repeat(20), 'B'.repeat(20)));
    expect(await tasksOf(store, 's')).toEqual(['a'.repeat(30), 'b'.repeat(20)]);

    await store.append('s', turn('c'.repeat(10), 'C'.repeat(10)));
    expect(await tasksOf(store, 's')).toEqual(['b'.repeat(20), 'c'.repeat(10)]);
    expect(store.storedChars).toBe(60);
  });

  it('keeps a single turn larger than the session bound, cut to fit with a marker', async () => {
    const store = new InMemoryStore({ maxCharsPerSession: 100 });
    await store.append('s', turn('old', 'answer'));
    await store.append('s', turn('t'.repeat(500), 'r'.repeat(500)));

    const [kept, ...others] = await store.read('s');
    expect(others).toEqual([]);
    expect(kept!.task).toMatch(/^t+ \[…\]$/);
    expect(kept!.response).toMatch(/^r+ \[…\]$/);
    expect(sizeOf([kept!])).toBeLessThanOrEqual(100);
  });

  it('forgets the least recently used sessions when the total is over maxTotalChars', async () => {
    const store = new InMemoryStore({ maxCharsPerSession: 100, maxTotalChars: 250 });
    await store.append('first', turn('1'.repeat(100)));
    await store.append('second', turn('2'.repeat(100)));
    await store.read('first'); // now "second" is the least recently used
    await store.append('third', turn('3'.repeat(100)));

    expect(store.sessionCount).toBe(2);
    expect(await tasksOf(store, 'second')).toEqual([]);
    expect(await tasksOf(store, 'first')).toEqual(['1'.repeat(100)]);
    expect(store.storedChars).toBe(200);
  });

  it('forgets the least recently used session past maxSessions', async () => {
    const store = new InMemoryStore({ maxSessions: 2 });
    for (const sessionId of ['a', 'b', 'c']) await store.append(sessionId, turn(sessionId));
    expect(store.sessionCount).toBe(2);
    expect(await tasksOf(store, 'a')).toEqual([]);
  });

  it('never lets one session hold more than the whole store', async () => {
    const store = new InMemoryStore({ maxCharsPerSession: 1_000, maxTotalChars: 50 });
    await store.append('s', turn('x'.repeat(400)));
    expect(sizeOf(await store.read('s'))).toBeLessThanOrEqual(50);
    expect(store.sessionCount).toBe(1);
  });

  it('counts the total exactly through appends, trims and evictions', async () => {
    const store = new InMemoryStore({
      maxTurnsPerSession: 3,
      maxCharsPerSession: 90,
      maxTotalChars: 200,
    });
    for (let index = 0; index < 60; index += 1) {
      await store.append(
        `s${index % 7}`,
        turn('q'.repeat(index % 50), 'a'.repeat((index * 7) % 40)),
      );
    }
    let held = 0;
    for (let index = 0; index < 7; index += 1) held += sizeOf(await store.read(`s${index}`));
    expect(store.storedChars).toBe(held);
    expect(held).toBeLessThanOrEqual(200);
  });
});

describe('fitTurn', () => {
  it('leaves a turn that fits alone', () => {
    const small = turn('task', 'response');
    expect(fitTurn(small, 100)).toBe(small);
  });

  it('gives a short response all it needs and the task the rest', () => {
    const fitted = fitTurn(turn('t'.repeat(200), 'ok'), 50);
    expect(fitted.response).toBe('ok');
    expect(fitted.task).toHaveLength(48);
  });
});
