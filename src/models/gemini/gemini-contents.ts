import type { JsonObject, Message, MessagePart } from '../model';

/** How an SDK sends the conversation: the two differ only in the tool calls and their results. */
export interface ContentsForm {
  /** The role of tool results: `function` (`@google/generative-ai`) or `user` (`@google/genai`). */
  toolRole: 'function' | 'user';
  /** Calls and results carry the call's id (`@google/genai`; the older SDK has no field for it). */
  callIds: boolean;
}

export type GeminiRequestPart =
  | { text: string }
  | { functionCall: { id?: string; name: string; args: JsonObject } }
  | { functionResponse: { id?: string; name: string; response: JsonObject } };

export interface GeminiContent {
  role: string;
  parts: GeminiRequestPart[];
}

function toPart(part: MessagePart, { callIds }: ContentsForm): GeminiRequestPart {
  const id = callIds ? { id: part.type === 'text' ? undefined : part.id } : {};
  switch (part.type) {
    case 'text':
      return { text: part.content };
    case 'tool_call':
      return { functionCall: { ...id, name: part.name, args: part.arguments } };
    case 'tool_call_response':
      return { functionResponse: { ...id, name: part.name, response: part.response } };
  }
}

/** The conversation as the `contents` of a `generateContent` request, in an SDK's form. */
export function toGeminiContents(
  messages: readonly Message[],
  form: ContentsForm,
): GeminiContent[] {
  const roles: Record<Message['role'], string> = {
    user: 'user',
    assistant: 'model',
    tool: form.toolRole,
  };
  return messages.map((message) => ({
    role: roles[message.role],
    parts: message.parts.map((part) => toPart(part, form)),
  }));
}
