import { LIMITS } from '../../limits';
import type { ConversationTurn, MemoryStore } from './memory-store';

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
}

interface Session {
  turns: ConversationTurn[];
  chars: number;
}

const TRUNCATION_MARKER = ' […]';

const sizeOf = (turn: ConversationTurn) => turn.task.length + turn.response.length;

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= TRUNCATION_MARKER.length) return text.slice(0, max);
  return text.slice(0, max - TRUNCATION_MARKER.length) + TRUNCATION_MARKER;
}

/**
 * A turn larger than a whole session is kept, cut to fit: the latest exchange is the one the next
 * question most likely refers to. The task keeps at least half the room, the response the rest.
 */
export function fitTurn(turn: ConversationTurn, maxChars: number): ConversationTurn {
  if (sizeOf(turn) <= maxChars) return turn;
  const task = cut(turn.task, Math.max(Math.ceil(maxChars / 2), maxChars - turn.response.length));
  return { ...turn, task, response: cut(turn.response, maxChars - task.length) };
}

/**
 * Bounded, process-local short-term memory, by count and by size. A Map keeps insertion order,
 * which makes it an LRU.
 */
export class InMemoryStore implements MemoryStore {
  readonly memoryType = 'short_term';
  private readonly sessions = new Map<string, Session>();
  private readonly maxSessions: number;
  private readonly maxTurnsPerSession: number;
  private readonly maxCharsPerSession: number;
  private readonly maxTotalChars: number;
  private totalChars = 0;

  constructor({
    maxSessions = LIMITS.memoryMaxSessions,
    maxTurnsPerSession = LIMITS.memoryMaxTurns,
    maxCharsPerSession = LIMITS.memoryMaxSessionChars,
    maxTotalChars = LIMITS.memoryMaxTotalChars,
  }: InMemoryStoreOptions = {}) {
    this.maxSessions = maxSessions;
    this.maxTurnsPerSession = maxTurnsPerSession;
    // One session can never hold more than the whole store: it would evict itself.
    this.maxCharsPerSession = Math.min(maxCharsPerSession, maxTotalChars);
    this.maxTotalChars = maxTotalChars;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Characters held over all sessions. */
  get storedChars(): number {
    return this.totalChars;
  }

  async read(sessionId: string): Promise<ConversationTurn[]> {
    const session = this.sessions.get(sessionId);
    if (!session) return [];
    this.touch(sessionId, session);
    return [...session.turns];
  }

  async append(sessionId: string, turn: ConversationTurn): Promise<void> {
    const previous = this.sessions.get(sessionId);
    const kept = fitTurn(turn, this.maxCharsPerSession);
    const turns = [...(previous?.turns ?? []), kept];
    let chars = (previous?.chars ?? 0) + sizeOf(kept);
    while (turns.length > this.maxTurnsPerSession || chars > this.maxCharsPerSession)
      chars -= sizeOf(turns.shift()!);
    this.totalChars += chars - (previous?.chars ?? 0);
    this.touch(sessionId, { turns, chars });
    this.evictLeastRecentlyUsed();
  }

  private evictLeastRecentlyUsed(): void {
    while (this.sessions.size > this.maxSessions || this.totalChars > this.maxTotalChars) {
      const [oldestId, oldest] = this.sessions.entries().next().value ?? [];
      if (oldestId === undefined || !oldest) break;
      this.sessions.delete(oldestId);
      this.totalChars -= oldest.chars;
    }
  }

  private touch(sessionId: string, session: Session): void {
    this.sessions.delete(sessionId);
    this.sessions.set(sessionId, session);
  }
}
