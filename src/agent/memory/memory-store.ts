import type { Message } from '../../models/model';
import type { MemoryBackend } from '../../tracing/conventions/span-info';

/** One finished exchange of a session: what the user asked and what the agent answered. */
export interface ConversationTurn {
  task: string;
  response: string;
  at: string;
}

/**
 * Whose memory: the caller (a digest of its API key, or a scope inside it) and the user. Memory is
 * never shared across either: the same `user_id` from another caller is another person.
 */
export interface UserScope {
  caller: string;
  userId: string;
}

/** One conversation of a user: short-term memory is read and written per session. */
export interface SessionScope extends UserScope {
  sessionId: string;
}

export interface SearchOptions {
  /** The session being continued: its turns are short-term memory already, not search results. */
  excludeSessionId?: string;
  /** The most turns returned, best first. */
  limit: number;
}

/**
 * Conversation memory of two kinds: short-term (a session's turns, replayed in order) and
 * long-term (earlier turns of the same caller and user, from any session, found by relevance).
 * Each implementation bounds both by count and size, and keeps text as PostgreSQL can hold it
 * (`storableText`), so that both answer the same.
 */
export interface MemoryStore {
  /** Where memory lives, as its spans say it (`memory.backend`). */
  readonly backend: MemoryBackend;
  /** The session's turns, oldest first. */
  read(session: SessionScope): Promise<ConversationTurn[]>;
  /** Adds a turn to the session (short-term) and to the user's long-term memory. */
  append(session: SessionScope, turn: ConversationTurn): Promise<void>;
  /** The user's earlier turns most relevant to `query`, best first. */
  search(user: UserScope, query: string, options: SearchOptions): Promise<ConversationTurn[]>;
  /** Erases a user's memory (one session's, with `sessionId`); answers how many records it held. */
  erase(user: UserScope, sessionId?: string): Promise<number>;
  /** Resolves once the store's server answers (readiness); a store in the process has none. */
  ping?(): Promise<void>;
  /** Releases connections; the store is not used afterwards. */
  close(): Promise<void>;
}

/** Earlier turns as messages the model reads before the new task. */
export function turnsToMessages(turns: readonly ConversationTurn[]): Message[] {
  return turns.flatMap((turn): Message[] => [
    { role: 'user', parts: [{ type: 'text', content: turn.task }] },
    { role: 'assistant', parts: [{ type: 'text', content: turn.response }] },
  ]);
}
