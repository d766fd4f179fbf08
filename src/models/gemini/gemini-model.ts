import {
  GoogleGenerativeAI,
  type Content,
  type FunctionDeclaration,
  type GenerativeModel,
} from '@google/generative-ai';
import { classifyGeminiError } from './classify-gemini-error';
import { toTurn } from './gemini-response';
import { callKeepingHeaders } from './response-headers';
import { toFunctionDeclarations } from './gemini-schema';
import { readStream } from './merge-chunks';
import { toGeminiContents, type ContentsForm } from './gemini-contents';
import { GEMINI_API_VERSION, GeminiApiModel, type GeminiModelOptions } from './gemini-api-model';
import type { GenerateRequest, StreamRequest, ModelTurn } from '../model';

/** Tool results as `function` content, without ids: the form this SDK has types for. */
export const GENERATIVE_AI_CONTENTS: ContentsForm = { toolRole: 'function', callIds: false };

/** The `@google/generative-ai` adapter. */
export class GeminiModel extends GeminiApiModel {
  private readonly model: GenerativeModel;

  constructor(options: GeminiModelOptions) {
    super(options);
    this.model = new GoogleGenerativeAI(options.apiKey).getGenerativeModel(
      { model: options.modelName },
      { baseUrl: this.sdkBaseUrl, apiVersion: GEMINI_API_VERSION },
    );
  }

  async generate(request: GenerateRequest): Promise<ModelTurn> {
    const { response } = await callKeepingHeaders(
      () => this.model.generateContent(toGeminiRequest(request), { signal: request.signal }),
      classifyGeminiError,
    );
    return toTurn(response);
  }

  async generateStream(request: StreamRequest): Promise<ModelTurn> {
    const merged = await callKeepingHeaders(async () => {
      const result = await this.model.generateContentStream(toGeminiRequest(request), {
        signal: request.signal,
      });
      // The SDK's own aggregate of the stream rejects too when the stream fails: we merge the
      // chunks ourselves and never read it, so its rejection must not go unhandled.
      result.response.catch(() => {});
      return readStream(result.stream, request.onChunk);
    }, classifyGeminiError);
    return toTurn(merged);
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
