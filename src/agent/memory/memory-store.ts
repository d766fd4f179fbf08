import type { Message } from '../../models/model';

/** One finished exchange of a session: what the user asked and what the agent answered. */
export interface ConversationTurn {
  task: string;
  response: string;
  at: string;
}

/**
 * Per-session conversation history. Another backend (Redis, a database) is another implementation.
 */
export interface MemoryStore {
  /** `gen_ai`-independent label for `memory.type` on spans. */
  readonly memoryType: string;
  read(sessionId: string): Promise<ConversationTurn[]>;
  append(sessionId: string, turn: ConversationTurn): Promise<void>;
}

/** Earlier turns as messages the model reads before the new task. */
export function turnsToMessages(turns: readonly ConversationTurn[]): Message[] {
  return turns.flatMap((turn): Message[] => [
    { role: 'user', parts: [{ type: 'text', content: turn.task }] },
    { role: 'assistant', parts: [{ type: 'text', content: turn.response }] },
  ]);
}
