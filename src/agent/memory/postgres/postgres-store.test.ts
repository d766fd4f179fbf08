import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { startPglite, type PgliteProcess } from '../../../../dev/database/pglite-process';
import { describeOnRealPostgres } from '../../../../test/support/real-postgres';
import type { ConversationTurn } from '../memory-store';
import { PostgresStore, type PostgresStoreOptions } from './postgres-store';

/**
 * One suite, two databases: PGlite (PostgreSQL compiled to WebAssembly, on a loopback port) on
 * every machine, and a real PostgreSQL server when TEST_POSTGRES_URL names one (`.ci/run` starts
 * Debian's).
 */
const turn = (task: string, response = 'ok'): ConversationTurn => ({
  task,
  response,
  at: new Date().toISOString(),
});

// PGlite answers one query at a time for every connection, on a busy machine: waits are longer.
const PATIENT = { connectTimeoutMs: 20_000, statementTimeoutMs: 20_000 };

function storeSuite(database: () => string) {
  const stores: PostgresStore[] = [];
  // Every test works as its own caller: the database is shared by the file (and kept by a real
  // server between runs).
  let caller: string;
  const ana = () => ({ caller, userId: 'ana' });
  const anaIn = (sessionId: string) => ({ ...ana(), sessionId });
  const open = (options: Partial<PostgresStoreOptions> = {}) => {
    const store = new PostgresStore({ connectionString: database(), ...PATIENT, ...options });
    stores.push(store);
    return store;
  };
  const tasks = (turns: ConversationTurn[]) => turns.map((kept) => kept.task);

  beforeEach(() => {
    caller = `key:${randomUUID()}`;
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it('migrates the schema once, however many replicas start at the same time', async () => {
    await Promise.all([open().ready(), open().ready(), open().ready()]);
    await open().ready();
    const pool = new Pool({ connectionString: database() });
    const { rows } = await pool.query('SELECT version FROM memory_schema_migrations');
    await pool.end();
    expect(rows).toEqual([{ version: 1 }]);
  });

  it('reads back a session in order, and only for the same caller, user and session', async () => {
    const store = open();
    await store.append(anaIn('s'), turn('first'));
    await store.append(anaIn('s'), turn('second'));

    expect(tasks(await store.read(anaIn('s')))).toEqual(['first', 'second']);
    expect(await store.read(anaIn('other'))).toEqual([]);
    expect(await store.read({ ...anaIn('s'), userId: 'bob' })).toEqual([]);
    expect(await store.read({ ...anaIn('s'), caller: 'key:someone-else' })).toEqual([]);
  });

  it('replays a session bounded by count and by size, the oldest turns dropped first', async () => {
    const byCount = open({ maxTurnsPerSession: 2 });
    for (const task of ['one', 'two', 'three']) await byCount.append(anaIn('count'), turn(task));
    expect(tasks(await byCount.read(anaIn('count')))).toEqual(['two', 'three']);

    const bySize = open({ maxCharsPerSession: 100 });
    await bySize.append(anaIn('size'), turn('a'.repeat(30), 'A'.repeat(30)));
    await bySize.append(anaIn('size'), turn('b'.repeat(20), 'B'.repeat(20)));
    await bySize.append(anaIn('size'), turn('c'.repeat(10), 'C'.repeat(10)));
    expect(tasks(await bySize.read(anaIn('size')))).toEqual(['b'.repeat(20), 'c'.repeat(10)]);

    await bySize.append(anaIn('size'), turn('t'.repeat(500), 'r'.repeat(500)));
    const [kept, ...none] = await bySize.read(anaIn('size'));
    expect(none).toEqual([]);
    expect(kept!.task).toMatch(/^t+ \[…\]$/);
  });

  it('keeps at most maxTurnsPerUser turns of a user over all sessions, deleting the oldest', async () => {
    const store = open({ maxTurnsPerUser: 3 });
    for (const [index, sessionId] of ['a', 'a', 'b', 'c'].entries())
      await store.append(anaIn(sessionId), turn(`turn ${index}`));
    expect(tasks(await store.read(anaIn('a')))).toEqual(['turn 1']);
    expect(await store.erase(ana())).toBe(3);
  });

  it("finds the user's most relevant turns from other sessions, with full-text search", async () => {
    const store = open();
    await store.append(anaIn('monday'), turn('My cat is called Tortilla', 'Noted.'));
    await store.append(anaIn('monday'), turn('Plan a trip to Lisbon', 'Here is a plan.'));
    await store.append(anaIn('tuesday'), turn('Cats and more cats', 'Cats indeed.'));
    await store.append({ ...anaIn('monday'), userId: 'bob' }, turn('My cat is Bob'));

    const found = await store.search(ana(), 'What are my cats called?', {
      excludeSessionId: 'wednesday',
      limit: 3,
    });
    // Tortilla's turn matches two of the words ("cat", "called"), the other one only one.
    expect(tasks(found)).toEqual(['My cat is called Tortilla', 'Cats and more cats']);
    const elsewhere = await store.search(ana(), 'cat', { excludeSessionId: 'tuesday', limit: 3 });
    expect(tasks(elsewhere)).toEqual(['My cat is called Tortilla']);
    expect(await store.search(ana(), 'cat', { limit: 1 })).toHaveLength(1);
  });

  it('treats any task as words to search, never as query syntax', async () => {
    const store = open();
    await store.append(anaIn('s'), turn('Tortilla'));
    for (const task of ["cat & | ! ( ) ' :* <-> \\", 'the of and', '', '🐱'])
      expect(await store.search(ana(), task, { limit: 3 })).toEqual([]);
  });

  it('keeps NUL and lone surrogates as U+FFFD instead of failing, and finds the turn by them', async () => {
    const store = open();
    await store.append(
      anaIn('monday'),
      turn('Remember Tortilla \u0000 and \ud800 anchovies', 'Noted \u0000.'),
    );

    const [kept] = await store.read(anaIn('monday'));
    expect(kept).toMatchObject({
      task: 'Remember Tortilla \uFFFD and \uFFFD anchovies',
      response: 'Noted \uFFFD.',
    });
    const found = await store.search(ana(), 'Tortilla \u0000 \udc00', { limit: 3 });
    expect(found).toEqual([kept]);
  });

  it('finds a turn by a word whatever its Unicode form: é as one character or as e and an accent', async () => {
    const store = open();
    await store.append(anaIn('tuesday'), turn('Remember the cafe\u0301 Ibérico', 'Noted.'));

    // Before: PostgreSQL compared the code points, and "café" typed as one character found
    // nothing stored as e + U+0301 (as macOS and some copy-pastes write it).
    const found = await store.search(ana(), 'caf\u00e9', { limit: 3 });
    expect(found.map((kept) => kept.task)).toEqual(['Remember the caf\u00e9 Ibérico']);
  });

  it('loses none of 100 concurrent writes to one session', async () => {
    const store = open({ maxTurnsPerSession: 200 });
    await Promise.all(
      Array.from({ length: 100 }, (_, index) => store.append(anaIn('busy'), turn(`w${index}`))),
    );
    const written = tasks(await store.read(anaIn('busy')));
    expect(written).toHaveLength(100);
    expect(new Set(written).size).toBe(100);
  });

  it("erases one session, or all of a user's memory, counting the turns, and nothing else", async () => {
    const store = open();
    await store.append(anaIn('one'), turn('a'));
    await store.append(anaIn('one'), turn('b'));
    await store.append(anaIn('two'), turn('c'));
    await store.append({ ...anaIn('one'), userId: 'bob' }, turn('d'));
    await store.append({ ...anaIn('one'), caller: `${caller}-other` }, turn('e'));

    expect(await store.erase(ana(), 'one')).toBe(2);
    expect(await store.read(anaIn('one'))).toEqual([]);
    expect(tasks(await store.read(anaIn('two')))).toEqual(['c']);
    expect(await store.erase(ana())).toBe(1);
    expect(await store.erase(ana())).toBe(0);
    expect(tasks(await store.read({ ...anaIn('one'), userId: 'bob' }))).toEqual(['d']);
    expect(tasks(await store.read({ ...anaIn('one'), caller: `${caller}-other` }))).toEqual(['e']);
  });
}

describe('PostgresStore on PGlite', () => {
  let server: PgliteProcess;
  beforeAll(async () => {
    server = await startPglite();
  }, 120_000);
  afterAll(async () => {
    await server.close();
  });

  storeSuite(() => server.url);

  it('fails while the database is away, and works again once it is back, with no restart', async () => {
    const store = new PostgresStore({ connectionString: server.url, ...PATIENT });
    const session = { caller: `key:${randomUUID()}`, userId: 'ana', sessionId: 's' };
    try {
      await store.append(session, turn('before'));
      await server.stop();
      await expect(store.read(session)).rejects.toThrow();
      await server.start();
      await store.append(session, turn('after'));
      expect((await store.read(session)).map((kept) => kept.task)).toEqual(['before', 'after']);
    } finally {
      await server.start();
      await store.close();
    }
  });

  it('starts while the database is away, and migrates once it is reachable', async () => {
    await server.stop();
    const store = new PostgresStore({ connectionString: server.url, ...PATIENT });
    try {
      await expect(store.ready()).rejects.toThrow();
      await server.start();
      await expect(store.ready()).resolves.toBeUndefined();
    } finally {
      await server.start();
      await store.close();
    }
  });
});

describeOnRealPostgres('PostgresStore', storeSuite);
