import type { ConversationTurn } from './memory-store';

const TRUNCATION_MARKER = ' […]';

export const sizeOf = (turn: ConversationTurn) => turn.task.length + turn.response.length;

/** At most `length` UTF-16 units of `text`, never half of a surrogate pair (not storable). */
function head(text: string, length: number): string {
  const last = text.charCodeAt(length - 1);
  const splitsAPair = last >= 0xd800 && last <= 0xdbff;
  return text.slice(0, splitsAPair ? length - 1 : length);
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= TRUNCATION_MARKER.length) return head(text, max);
  return head(text, max - TRUNCATION_MARKER.length) + TRUNCATION_MARKER;
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
