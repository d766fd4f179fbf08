import { LIMITS } from '../../limits';
import type { ConversationTurn, MemoryStore } from './memory-store';

export interface InMemoryStoreOptions {
  /** Sessions kept; the least recently used one is forgotten first. */
  maxSessions?: number;
  /** Turns kept per session; the oldest are forgotten first. */
  maxTurnsPerSession?: number;
}

/** Bounded, process-local short-term memory. A Map keeps insertion order, which makes it an LRU. */
export class InMemoryStore implements MemoryStore {
  readonly memoryType = 'short_term';
  private readonly sessions = new Map<string, ConversationTurn[]>();
  private readonly maxSessions: number;
  private readonly maxTurnsPerSession: number;

  constructor({ maxSessions = LIMITS.memoryMaxSessions, maxTurnsPerSession = LIMITS.memoryMaxTurns }: InMemoryStoreOptions = {}) {
    this.maxSessions = maxSessions;
    this.maxTurnsPerSession = maxTurnsPerSession;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  async read(sessionId: string): Promise<ConversationTurn[]> {
    const turns = this.sessions.get(sessionId);
    if (!turns) return [];
    this.touch(sessionId, turns);
    return [...turns];
  }

  async append(sessionId: string, turn: ConversationTurn): Promise<void> {
    const turns = [...(this.sessions.get(sessionId) ?? []), turn].slice(-this.maxTurnsPerSession);
    this.touch(sessionId, turns);
    while (this.sessions.size > this.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
  }

  private touch(sessionId: string, turns: ConversationTurn[]): void {
    this.sessions.delete(sessionId);
    this.sessions.set(sessionId, turns);
  }
}
