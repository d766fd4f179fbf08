import {
  GoogleGenerativeAI,
  type Content,
  type FunctionDeclaration,
  type GenerativeModel,
} from '@google/generative-ai';
import { classifyGeminiError } from './classify-gemini-error';
import { toTurn } from './gemini-response';
import { captureResponseHeaders } from './response-headers';
import { toFunctionDeclarations } from './gemini-schema';
import { readStream } from './merge-chunks';
import { toGeminiContents, type ContentsForm } from './gemini-contents';
import {
  GEMINI_API_VERSION,
  GEMINI_DEFAULT_BASE_URL,
  GEMINI_PROVIDER_NAME,
  withoutTrailingSlash,
  type GeminiModelOptions,
} from './gemini-model-options';
import type { ChatModel, GenerateRequest, StreamRequest, ModelTurn } from '../model';

/** Tool results as `function` content, without ids: the form this SDK has types for. */
export const GENERATIVE_AI_CONTENTS: ContentsForm = { toolRole: 'function', callIds: false };

/** The `@google/generative-ai` adapter. */
export class GeminiModel implements ChatModel {
  readonly providerName = GEMINI_PROVIDER_NAME;
  readonly modelName: string;
  readonly endpoint: URL;
  private readonly model: GenerativeModel;

  constructor({ apiKey, modelName, baseUrl = GEMINI_DEFAULT_BASE_URL }: GeminiModelOptions) {
    this.modelName = modelName;
    this.endpoint = new URL(baseUrl);
    this.model = new GoogleGenerativeAI(apiKey).getGenerativeModel(
      { model: modelName },
      { baseUrl: withoutTrailingSlash(baseUrl), apiVersion: GEMINI_API_VERSION },
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
      return readStream(result.stream, request.onChunk);
    });
    if (!outcome.ok) throw classifyGeminiError(outcome.error, headers);
    return toTurn(outcome.value);
  }
}

function toGeminiRequest({ messages, tools, systemInstruction }: GenerateRequest) {
  return {
    contents: toGeminiContents(messages, GENERATIVE_AI_CONTENTS) as Content[],
    // The SDK types the schema with its own enums; on the wire it is the same JSON.
    tools: tools.length
      ? [
          {
            functionDeclarations: toFunctionDeclarations(tools) as unknown as FunctionDeclaration[],
          },
        ]
      : undefined,
    systemInstruction,
  };
}
