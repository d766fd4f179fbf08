/**
 * What session memory costs: fills an `InMemoryStore` with 1,000 sessions × 20 turns of 8 kB (a
 * 4,000-character task and a 4,000-character response, all different) and prints the heap it holds,
 * with the default size bounds and with them off (bounded by count only, as before they existed).
 *
 *   npm run build && node --expose-gc dist-dev/dev/bench/memory-footprint.js [before|after]
 *
 * One variant per process, so that neither sees the other's garbage.
 */
import { randomBytes } from 'node:crypto';
import { InMemoryStore, type InMemoryStoreOptions } from '../../src/agent/memory/in-memory-store';
import { LIMITS } from '../../src/limits';

const SESSIONS = 1_000;
const TURNS = 20;
const HALF_TURN_CHARS = 4_000;

const text = () => randomBytes(HALF_TURN_CHARS / 2).toString('hex');
const MiB = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

function heapUsed(): number {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('Run with node --expose-gc');
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

const sessionOf = (index: number) => ({
  caller: 'bench',
  userId: `user-${index}`,
  sessionId: `session-${index}`,
});

async function measure(label: string, options: InMemoryStoreOptions) {
  const before = heapUsed();
  const store = new InMemoryStore(options);
  for (let turn = 0; turn < TURNS; turn += 1) {
    for (let session = 0; session < SESSIONS; session += 1) {
      await store.append(sessionOf(session), {
        task: text(),
        response: text(),
        at: new Date().toISOString(),
      });
    }
  }
  const held = heapUsed() - before;
  const replayed = (await store.read(sessionOf(SESSIONS - 1))).reduce(
    (sum, kept) => sum + kept.task.length + kept.response.length,
    0,
  );
  console.log(
    JSON.stringify({
      label,
      sessions: store.sessionCount,
      storedChars: store.storedChars,
      heapMiB: MiB(held),
      replayedChars: replayed,
    }),
  );
}

if (process.argv[2] === 'before') {
  void measure('count bound only (before)', {
    maxCharsPerSession: Infinity,
    maxTotalChars: Infinity,
  });
} else {
  void measure(
    `default bounds (${LIMITS.memoryMaxSessionChars} chars a session, ${LIMITS.memoryMaxTotalChars} in total)`,
    {},
  );
}
