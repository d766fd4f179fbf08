import { fitTurn } from './fit-turn';
import { InMemoryStore } from './in-memory-store';
import type { ConversationTurn } from './memory-store';

const turn = (task: string, response = ''): ConversationTurn => ({
  task,
  response,
  at: '2026-11-22T00:00:00.000Z',
});
const inSession = (sessionId: string) => ({ caller: 'key:c', userId: 'ana', sessionId });
const tasksOf = async (store: InMemoryStore, sessionId: string) =>
  (await store.read(inSession(sessionId))).map((kept) => kept.task);
const sizeOf = (turns: ConversationTurn[]) =>
  turns.reduce((sum, kept) => sum + kept.task.length + kept.response.length, 0);

describe('InMemoryStore', () => {
  it('keeps at most maxTurnsPerSession turns, forgetting the oldest first', async () => {
    const store = new InMemoryStore({ maxTurnsPerSession: 2 });
    for (const task of ['one', 'two', 'three']) await store.append(inSession('s'), turn(task));
    expect(await tasksOf(store, 's')).toEqual(['two', 'three']);
  });

  it('keeps at most maxCharsPerSession characters of tasks and responses, forgetting the oldest turns first', async () => {
    const store = new InMemoryStore({ maxCharsPerSession: 100 });
    await store.append(inSession('s'), turn('a'.repeat(30), 'A'.repeat(30)));
    await store.append(inSession('s'), turn('b'.repeat(20), 'B'.repeat(20)));
    expect(await tasksOf(store, 's')).toEqual(['a'.repeat(30), 'b'.repeat(20)]);

    await store.append(inSession('s'), turn('c'.repeat(10), 'C'.repeat(10)));
    expect(await tasksOf(store, 's')).toEqual(['b'.repeat(20), 'c'.repeat(10)]);
    expect(store.storedChars).toBe(60);
  });

  it('keeps a single turn larger than the session bound, cut to fit with a marker', async () => {
    const store = new InMemoryStore({ maxCharsPerSession: 100 });
    await store.append(inSession('s'), turn('old', 'answer'));
    await store.append(inSession('s'), turn('t'.repeat(500), 'r'.repeat(500)));

    const [kept, ...others] = await store.read(inSession('s'));
    expect(others).toEqual([]);
    expect(kept!.task).toMatch(/^t+ \[…\]$/);
    expect(kept!.response).toMatch(/^r+ \[…\]$/);
    expect(sizeOf([kept!])).toBeLessThanOrEqual(100);
  });

  it('forgets the least recently used sessions when the total is over maxTotalChars', async () => {
    const store = new InMemoryStore({ maxCharsPerSession: 100, maxTotalChars: 250 });
    await store.append(inSession('first'), turn('1'.repeat(100)));
    await store.append(inSession('second'), turn('2'.repeat(100)));
    await store.read(inSession('first')); // now "second" is the least recently used
    await store.append(inSession('third'), turn('3'.repeat(100)));

    expect(store.sessionCount).toBe(2);
    expect(await tasksOf(store, 'second')).toEqual([]);
    expect(await tasksOf(store, 'first')).toEqual(['1'.repeat(100)]);
    expect(store.storedChars).toBe(200);
  });

  it('forgets the least recently used session past maxSessions', async () => {
    const store = new InMemoryStore({ maxSessions: 2 });
    for (const sessionId of ['a', 'b', 'c'])
      await store.append(inSession(sessionId), turn(sessionId));
    expect(store.sessionCount).toBe(2);
    expect(await tasksOf(store, 'a')).toEqual([]);
  });

  it('never lets one session hold more than the whole store', async () => {
    const store = new InMemoryStore({ maxCharsPerSession: 1_000, maxTotalChars: 50 });
    await store.append(inSession('s'), turn('x'.repeat(400)));
    expect(sizeOf(await store.read(inSession('s')))).toBeLessThanOrEqual(50);
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
        inSession(`s${index % 7}`),
        turn('q'.repeat(index % 50), 'a'.repeat((index * 7) % 40)),
      );
    }
    let held = 0;
    for (let index = 0; index < 7; index += 1)
      held += sizeOf(await store.read(inSession(`s${index}`)));
    expect(store.storedChars).toBe(held);
    expect(held).toBeLessThanOrEqual(200);
  });
});

describe('InMemoryStore long-term memory and erasure', () => {
  const ana = { caller: 'key:c', userId: 'ana' };

  it("finds the user's turns from other sessions that match the query, best first", async () => {
    const store = new InMemoryStore();
    await store.append({ ...ana, sessionId: 'one' }, turn('My cat is called Tortilla', 'Noted.'));
    await store.append({ ...ana, sessionId: 'two' }, turn('Plan a trip to Lisbon', 'Done.'));
    await store.append({ ...ana, sessionId: 'now' }, turn('Tortilla again', 'Yes.'));

    const found = await store.search(ana, 'what is my cat called', {
      excludeSessionId: 'now',
      limit: 3,
    });
    expect(found.map((kept) => kept.task)).toEqual(['My cat is called Tortilla']);
    expect(await store.search({ ...ana, userId: 'bob' }, 'cat', { limit: 3 })).toEqual([]);
    expect(await store.search({ ...ana, caller: 'key:d' }, 'cat', { limit: 3 })).toEqual([]);
  });

  it('keeps NUL and lone surrogates as U+FFFD, as PostgreSQL does, and finds the turn by them', async () => {
    const store = new InMemoryStore();
    await store.append(
      { ...ana, sessionId: 'one' },
      turn('Remember Tortilla \u0000 and \ud800 anchovies', 'Noted \u0000.'),
    );

    const [kept] = await store.read({ ...ana, sessionId: 'one' });
    expect(kept).toMatchObject({
      task: 'Remember Tortilla \uFFFD and \uFFFD anchovies',
      response: 'Noted \uFFFD.',
    });
    const found = await store.search(ana, 'Tortilla \u0000 \udc00', { limit: 3 });
    expect(found).toEqual([kept]);
  });

  it("keeps at most maxTurnsPerUser of a user's turns over all sessions, the oldest forgotten first, and nobody else's", async () => {
    const store = new InMemoryStore({ maxTurnsPerUser: 3 });
    const at = (minute: number) => `2026-11-22T00:0${minute}:00.000Z`;
    await store.append({ ...ana, sessionId: 'one' }, { ...turn('a'), at: at(1) });
    await store.append({ ...ana, sessionId: 'two' }, { ...turn('b'), at: at(2) });
    await store.append({ ...ana, sessionId: 'one' }, { ...turn('c'), at: at(3) });
    await store.append({ ...ana, userId: 'bob', sessionId: 'one' }, { ...turn('x'), at: at(0) });
    await store.append({ ...ana, sessionId: 'two' }, { ...turn('d'), at: at(4) });
    await store.append({ ...ana, sessionId: 'three' }, { ...turn('e'), at: at(5) });

    expect(await tasksOfUser(store, 'ana', 'one')).toEqual(['c']);
    expect(await tasksOfUser(store, 'ana', 'two')).toEqual(['d']);
    expect(await tasksOfUser(store, 'ana', 'three')).toEqual(['e']);
    expect(await tasksOfUser(store, 'bob', 'one')).toEqual(['x']);
    expect(store.storedChars).toBe(4);
    await store.append({ ...ana, sessionId: 'four' }, { ...turn('f'), at: at(6) });
    expect(await tasksOfUser(store, 'ana', 'one')).toEqual([]);
    expect(store.sessionCount).toBe(4);
    // Erased and written again: the count starts afresh, nothing older is dropped for it.
    await store.erase(ana);
    for (const task of ['g', 'h', 'i'])
      await store.append({ ...ana, sessionId: 'five' }, { ...turn(task), at: at(7) });
    expect(await tasksOfUser(store, 'ana', 'five')).toEqual(['g', 'h', 'i']);
  });

  it('erases one session or every session of the user, counting the turns, and nobody else', async () => {
    const store = new InMemoryStore();
    await store.append({ ...ana, sessionId: 'one' }, turn('a'));
    await store.append({ ...ana, sessionId: 'one' }, turn('b'));
    await store.append({ ...ana, sessionId: 'two' }, turn('c'));
    await store.append({ ...ana, userId: 'bob', sessionId: 'one' }, turn('d'));

    expect(await store.erase(ana, 'one')).toBe(2);
    expect(await store.read({ ...ana, sessionId: 'one' })).toEqual([]);
    expect(await store.erase(ana)).toBe(1);
    expect(await store.erase(ana)).toBe(0);
    expect(store.storedChars).toBe(1);
    expect(await tasksOfUser(store, 'bob', 'one')).toEqual(['d']);
  });
});

const tasksOfUser = async (store: InMemoryStore, userId: string, sessionId: string) =>
  (await store.read({ caller: 'key:c', userId, sessionId })).map((kept) => kept.task);

describe('fitTurn', () => {
  it('leaves a turn that fits alone', () => {
    const small = turn('task', 'response');
    expect(fitTurn(small, 100)).toBe(small);
  });

  it('never cuts a character in two (half of a surrogate pair cannot be stored)', () => {
    const fitted = fitTurn(turn('🐱'.repeat(30), '🐶'.repeat(30)), 41);
    expect(fitted.task).toBe(`${'🐱'.repeat(8)} […]`);
    expect(fitted.response).toBe(`${'🐶'.repeat(8)} […]`);
  });

  it('gives a short response all it needs and the task the rest', () => {
    const fitted = fitTurn(turn('t'.repeat(200), 'ok'), 50);
    expect(fitted.response).toBe('ok');
    expect(fitted.task).toHaveLength(48);
  });
});
