import { randomUUID } from 'node:crypto';
import {
  GoogleGenerativeAI,
  type Content,
  type GenerateContentResponse,
  type GenerativeModel,
  type Part,
} from '@google/generative-ai';
import { classifyGeminiError } from './classify-gemini-error';
import { ModelError } from '../model-errors';
import { captureResponseHeaders } from './response-headers';
import { toFunctionDeclarations } from './gemini-schema';
import { chunkText, mergeChunks } from './merge-chunks';
import { GEN_AI_PROVIDER_GCP_GEMINI } from '../../tracing/semconv';
import type {
  ChatModel,
  GenerateRequest,
  JsonObject,
  StreamRequest,
  Message,
  MessagePart,
  ModelTurn,
  ToolCallPart,
} from '../model';

/** Where the SDK sends requests when no base URL is given. */
const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

export interface GeminiModelOptions {
  apiKey: string;
  modelName: string;
  /** Any Gemini-compatible endpoint: the real API, a proxy, a gateway or the offline emulator. */
  baseUrl?: string;
}

function toGeminiPart(part: MessagePart): Part {
  switch (part.type) {
    case 'text':
      return { text: part.content };
    case 'tool_call':
      return { functionCall: { name: part.name, args: part.arguments } };
    case 'tool_call_response':
      return { functionResponse: { name: part.name, response: part.response } };
  }
}

const GEMINI_ROLES: Record<Message['role'], string> = {
  user: 'user',
  assistant: 'model',
  tool: 'function',
};

export function toGeminiContents(messages: readonly Message[]): Content[] {
  return messages.map((message) => ({
    role: GEMINI_ROLES[message.role],
    parts: message.parts.map(toGeminiPart),
  }));
}

/**
 * Gemini 0.24's function calls carry no id, so we give each one ours: the tool span's
 * `gen_ai.tool.call.id`, and how a result is matched to its call.
 */
export function fromGeminiResponse(
  response: GenerateContentResponse,
  newCallId: () => string = randomUUID,
): ModelTurn {
  const candidate = response.candidates?.[0];
  const parts = candidate?.content?.parts ?? [];
  const texts = parts.flatMap((part) =>
    typeof part.text === 'string' && part.text ? [part.text] : [],
  );
  const toolCalls: ToolCallPart[] = parts.flatMap((part) =>
    part.functionCall
      ? [
          {
            type: 'tool_call' as const,
            id: `call_${newCallId()}`,
            name: part.functionCall.name,
            arguments: (part.functionCall.args ?? {}) as JsonObject,
          },
        ]
      : [],
  );
  const text = texts.length ? texts.join('') : undefined;
  const runtime = response as GenerateContentResponse & {
    modelVersion?: string;
    responseId?: string;
  };
  return {
    text,
    toolCalls,
    finishReasons: candidate?.finishReason ? [candidate.finishReason] : [],
    usage: {
      inputTokens: response.usageMetadata?.promptTokenCount ?? 0,
      outputTokens: response.usageMetadata?.candidatesTokenCount ?? 0,
    },
    responseModel: runtime.modelVersion,
    responseId: runtime.responseId,
    message: {
      role: 'assistant',
      parts: [...(text ? [{ type: 'text' as const, content: text }] : []), ...toolCalls],
    },
  };
}

/** The `@google/generative-ai` adapter. */
export class GeminiModel implements ChatModel {
  readonly providerName = GEN_AI_PROVIDER_GCP_GEMINI;
  readonly modelName: string;
  readonly endpoint: URL;
  private readonly model: GenerativeModel;

  constructor({ apiKey, modelName, baseUrl = GEMINI_DEFAULT_BASE_URL }: GeminiModelOptions) {
    this.modelName = modelName;
    this.endpoint = new URL(baseUrl);
    // The SDK appends `/v1beta/...` to the base URL itself and breaks on a trailing slash.
    const sdkBaseUrl = baseUrl.replace(/\/+$/, '');
    this.model = new GoogleGenerativeAI(apiKey).getGenerativeModel(
      { model: modelName },
      { baseUrl: sdkBaseUrl },
    );
  }

  async generate(request: GenerateRequest): Promise<ModelTurn> {
    const { outcome, headers } = await captureResponseHeaders(() =>
      this.model.generateContent(toGeminiRequest(request), { signal: request.signal }),
    );
    if (!outcome.ok) throw classifyGeminiError(outcome.error, headers);
    return toTurn(outcome.value.response);
  }

  async generateStream(request: StreamRequest): Promise<ModelTurn> {
    const { outcome, headers } = await captureResponseHeaders(async () => {
      const result = await this.model.generateContentStream(toGeminiRequest(request), {
        signal: request.signal,
      });
      // The SDK's own aggregate of the stream rejects too when the stream fails: we merge the
      // chunks ourselves and never read it, so its rejection must not go unhandled.
      result.response.catch(() => {});
      const chunks: GenerateContentResponse[] = [];
      for await (const chunk of result.stream) {
        chunks.push(chunk);
        request.onChunk({ textDelta: chunkText(chunk) });
      }
      return mergeChunks(chunks);
    });
    if (!outcome.ok) throw classifyGeminiError(outcome.error, headers);
    return toTurn(outcome.value);
  }
}

function toGeminiRequest({ messages, tools, systemInstruction }: GenerateRequest) {
  return {
    contents: toGeminiContents(messages),
    tools: tools.length ? [{ functionDeclarations: toFunctionDeclarations(tools) }] : undefined,
    systemInstruction,
  };
}

function toTurn(response: GenerateContentResponse): ModelTurn {
  const blockReason = response.promptFeedback?.blockReason;
  if (!response.candidates?.length && blockReason) {
    throw new ModelError('model_blocked', `The model API blocked the prompt (${blockReason}).`);
  }
  return fromGeminiResponse(response);
}
