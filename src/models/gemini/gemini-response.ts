import { randomUUID } from 'node:crypto';
import { ModelError } from '../model-errors';
import type { JsonObject, ModelTurn, ToolCallPart } from '../model';

/**
 * A `generateContent` answer as both SDKs give it: the REST API's JSON, which each SDK types its
 * own way. Only what we read is named.
 */
export interface GeminiPart {
  text?: string;
  /** `id` is sent by newer models and read by `@google/genai`; `@google/generative-ai` drops it. */
  functionCall?: { id?: string; name?: string; args?: object };
}

export interface GeminiResponse {
  candidates?: { content?: { parts?: GeminiPart[] }; finishReason?: string }[];
  usageMetadata?: { promptTokenCount?: number; candidatesTokenCount?: number };
  promptFeedback?: { blockReason?: string };
  modelVersion?: string;
  responseId?: string;
}

/**
 * The turn a response holds. A function call keeps the id the API gave it; one without (Gemini 2.x
 * models, and always through `@google/generative-ai`) gets ours: the tool span's
 * `gen_ai.tool.call.id`, and how a result is matched to its call.
 */
export function fromGeminiResponse(
  response: GeminiResponse,
  newCallId: () => string = randomUUID,
): ModelTurn {
  const candidate = response.candidates?.[0];
  const parts = candidate?.content?.parts ?? [];
  const texts = parts.flatMap((part) =>
    typeof part.text === 'string' && part.text ? [part.text] : [],
  );
  const toolCalls: ToolCallPart[] = parts.flatMap(({ functionCall }) =>
    functionCall
      ? [
          {
            type: 'tool_call' as const,
            id: functionCall.id || `call_${newCallId()}`,
            name: functionCall.name ?? '',
            arguments: (functionCall.args ?? {}) as JsonObject,
          },
        ]
      : [],
  );
  const text = texts.length ? texts.join('') : undefined;
  return {
    text,
    toolCalls,
    finishReasons: candidate?.finishReason ? [candidate.finishReason] : [],
    usage: {
      inputTokens: response.usageMetadata?.promptTokenCount ?? 0,
      outputTokens: response.usageMetadata?.candidatesTokenCount ?? 0,
    },
    responseModel: response.modelVersion,
    responseId: response.responseId,
    message: {
      role: 'assistant',
      parts: [...(text ? [{ type: 'text' as const, content: text }] : []), ...toolCalls],
    },
  };
}

/** The turn of a response, or `model_blocked` when the API blocked the prompt itself. */
export function toTurn(response: GeminiResponse): ModelTurn {
  const blockReason = response.promptFeedback?.blockReason;
  if (!response.candidates?.length && blockReason) {
    throw new ModelError('model_blocked', `The model API blocked the prompt (${blockReason}).`);
  }
  return fromGeminiResponse(response);
}
