import MiniSearch from 'minisearch';
import { LIMITS } from '../../limits';
import { fitTurn, sizeOf } from './fit-turn';
import { storableText, storableTurn } from './storable-text';
import type {
  ConversationTurn,
  MemoryStore,
  SearchOptions,
  SessionScope,
  UserScope,
} from './memory-store';

export interface InMemoryStoreOptions {
  /** Sessions kept; the least recently used one is forgotten first. */
  maxSessions?: number;
  /** Turns kept per session; the oldest are forgotten first. */
  maxTurnsPerSession?: number;
  /**
   * Characters (tasks and responses) kept per session, the oldest turns forgotten first: every
   * model call replays them, so this bounds what memory adds to each call's input.
   */
  maxCharsPerSession?: number;
  /** Characters kept over all sessions; the least recently used sessions are forgotten first. */
  maxTotalChars?: number;
  /**
   * Turns kept per caller and user over all their sessions (the retention of long-term memory, as
   * in PostgreSQL); the oldest are forgotten first. It also bounds what one search indexes.
   */
  maxTurnsPerUser?: number;
}

interface Session {
  scope: SessionScope;
  turns: ConversationTurn[];
  chars: number;
}

const userKeyOf = ({ caller, userId }: UserScope) => JSON.stringify([caller, userId]);
const sessionKeyOf = (scope: SessionScope) =>
  JSON.stringify([scope.caller, scope.userId, scope.sessionId]);

/**
 * Bounded, process-local memory, by count and by size. A Map keeps insertion order, which makes it
 * an LRU. Long-term memory is what it still holds of the user's other sessions, searched with
 * MiniSearch; a restart forgets everything.
 */
export class InMemoryStore implements MemoryStore {
  readonly backend = 'in_memory';
  private readonly sessions = new Map<string, Session>();
  /** Each user's sessions, for search and erasure. */
  private readonly sessionsOfUser = new Map<string, Set<string>>();
  /** Each user's turns over all their sessions, for retention without a walk on every append. */
  private readonly turnsOfUser = new Map<string, number>();
  private readonly maxSessions: number;
  private readonly maxTurnsPerSession: number;
  private readonly maxCharsPerSession: number;
  private readonly maxTotalChars: number;
  private readonly maxTurnsPerUser: number;
  private totalChars = 0;

  constructor({
    maxSessions = LIMITS.memoryMaxSessions,
    maxTurnsPerSession = LIMITS.memoryMaxTurns,
    maxCharsPerSession = LIMITS.memoryMaxSessionChars,
    maxTotalChars = LIMITS.memoryMaxTotalChars,
    maxTurnsPerUser = LIMITS.memoryMaxTurnsPerUser,
  }: InMemoryStoreOptions = {}) {
    this.maxSessions = maxSessions;
    this.maxTurnsPerSession = maxTurnsPerSession;
    // One session can never hold more than the whole store: it would evict itself.
    this.maxCharsPerSession = Math.min(maxCharsPerSession, maxTotalChars);
    this.maxTotalChars = maxTotalChars;
    this.maxTurnsPerUser = maxTurnsPerUser;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Characters held over all sessions. */
  get storedChars(): number {
    return this.totalChars;
  }

  async read(scope: SessionScope): Promise<ConversationTurn[]> {
    const sessionKey = sessionKeyOf(scope);
    const session = this.sessions.get(sessionKey);
    if (!session) return [];
    this.touch(sessionKey, session);
    return [...session.turns];
  }

  async append(scope: SessionScope, turn: ConversationTurn): Promise<void> {
    const sessionKey = sessionKeyOf(scope);
    const previous = this.sessions.get(sessionKey);
    // Kept as PostgreSQL would keep it: the two stores answer the same.
    const kept = fitTurn(storableTurn(turn), this.maxCharsPerSession);
    const turns = [...(previous?.turns ?? []), kept];
    let chars = (previous?.chars ?? 0) + sizeOf(kept);
    while (turns.length > this.maxTurnsPerSession || chars > this.maxCharsPerSession)
      chars -= sizeOf(turns.shift()!);
    this.totalChars += chars - (previous?.chars ?? 0);
    this.touch(sessionKey, { scope, turns, chars });
    const userKey = userKeyOf(scope);
    const ofUser = this.sessionsOfUser.get(userKey) ?? new Set<string>();
    this.sessionsOfUser.set(userKey, ofUser.add(sessionKey));
    const turnsOfUser =
      (this.turnsOfUser.get(userKey) ?? 0) + turns.length - (previous?.turns.length ?? 0);
    this.turnsOfUser.set(userKey, turnsOfUser);
    if (turnsOfUser > this.maxTurnsPerUser) this.keepRetention(userKey, ofUser);
    this.evictLeastRecentlyUsed();
  }

  async search(
    user: UserScope,
    query: string,
    { excludeSessionId, limit }: SearchOptions,
  ): Promise<ConversationTurn[]> {
    const turns = [...(this.sessionsOfUser.get(userKeyOf(user)) ?? [])]
      .map((sessionKey) => this.sessions.get(sessionKey)!)
      .filter((session) => session.scope.sessionId !== excludeSessionId)
      .flatMap((session) => session.turns);
    if (!turns.length) return [];
    // At most maxTurnsPerUser turns (1,000 by default): indexing them per search costs less than
    // keeping an index up to date.
    const index = new MiniSearch<{ id: number; task: string; response: string }>({
      fields: ['task', 'response'],
      searchOptions: { boost: { task: 2 }, prefix: true, fuzzy: 0.2 },
    });
    index.addAll(turns.map((turn, id) => ({ id, task: turn.task, response: turn.response })));
    return index
      .search(storableText(query))
      .slice(0, limit)
      .map((hit) => turns[hit.id as number]!);
  }

  async erase(user: UserScope, sessionId?: string): Promise<number> {
    const userKey = userKeyOf(user);
    const ofUser = this.sessionsOfUser.get(userKey);
    let erased = 0;
    for (const sessionKey of ofUser ?? []) {
      const session = this.sessions.get(sessionKey)!;
      if (sessionId !== undefined && session.scope.sessionId !== sessionId) continue;
      erased += session.turns.length;
      this.forget(sessionKey, session);
    }
    return erased;
  }

  async close(): Promise<void> {}

  private evictLeastRecentlyUsed(): void {
    while (this.sessions.size > this.maxSessions || this.totalChars > this.maxTotalChars) {
      const [oldestKey, oldest] = this.sessions.entries().next().value ?? [];
      if (oldestKey === undefined || !oldest) break;
      this.forget(oldestKey, oldest);
    }
  }

  /** Past `maxTurnsPerUser`, the user's oldest turns (by `at`) are forgotten, one at a time. */
  private keepRetention(userKey: string, sessionsOfUser: Set<string>): void {
    const held = [...sessionsOfUser].map((key) => ({ key, session: this.sessions.get(key)! }));
    let excess = this.turnsOfUser.get(userKey)! - this.maxTurnsPerUser;
    for (; excess > 0; excess -= 1) {
      const { key, session } = held
        .filter(({ session }) => session.turns.length)
        .reduce((a, b) => (a.session.turns[0]!.at <= b.session.turns[0]!.at ? a : b));
      const chars = sizeOf(session.turns.shift()!);
      this.turnsOfUser.set(userKey, this.turnsOfUser.get(userKey)! - 1);
      session.chars -= chars;
      this.totalChars -= chars;
      if (!session.turns.length) this.forget(key, session);
    }
  }

  private forget(sessionKey: string, session: Session): void {
    this.sessions.delete(sessionKey);
    this.totalChars -= session.chars;
    const userKey = userKeyOf(session.scope);
    const ofUser = this.sessionsOfUser.get(userKey);
    ofUser?.delete(sessionKey);
    this.turnsOfUser.set(userKey, (this.turnsOfUser.get(userKey) ?? 0) - session.turns.length);
    if (ofUser?.size === 0) {
      this.sessionsOfUser.delete(userKey);
      this.turnsOfUser.delete(userKey);
    }
  }

  private touch(sessionKey: string, session: Session): void {
    this.sessions.delete(sessionKey);
    this.sessions.set(sessionKey, session);
  }
}
