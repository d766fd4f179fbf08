import {
  GoogleGenAI,
  type Content,
  type GenerateContentParameters,
  type Schema,
} from '@google/genai';
import { toFunctionDeclarations } from '../gemini/gemini-schema';
import { toTurn } from '../gemini/gemini-response';
import { readStream } from '../gemini/merge-chunks';
import { toGeminiContents, type ContentsForm } from '../gemini/gemini-contents';
import { callKeepingHeaders } from '../gemini/response-headers';
import {
  GEMINI_API_VERSION,
  GeminiApiModel,
  type GeminiModelOptions,
} from '../gemini/gemini-api-model';
import type { GenerateRequest, ModelTurn, StreamRequest } from '../model';
import { classifyGenaiError } from './classify-genai-error';

/** Tool results as `user` content (the API refuses `function` from this SDK), with call ids. */
export const GENAI_CONTENTS: ContentsForm = { toolRole: 'user', callIds: true };

/**
 * The `@google/genai` adapter (Google's maintained SDK). The SDK's own retries stay off (no
 * `retryOptions`): the agent retries, each attempt its own span, within the run's deadline.
 */
export class GenaiModel extends GeminiApiModel {
  private readonly client: GoogleGenAI;

  constructor(options: GeminiModelOptions) {
    super(options);
    // `vertexai: false` and `apiVersion`: no GOOGLE_GENAI_USE_VERTEXAI, GOOGLE_GENAI_USE_ENTERPRISE or
    // GOOGLE_GENAI_API_VERSION in the environment reroutes the calls.
    // `fetch`: global fetch, looked up per call, rather than the SDK's own undici dispatcher
    // without timeouts, which reads a global that test runners' sandboxes do not have; our deadline
    // per attempt (MODEL_TIMEOUT_MS) bounds every call either way.
    this.client = new GoogleGenAI({
      apiKey: options.apiKey,
      vertexai: false,
      httpOptions: {
        baseUrl: this.sdkBaseUrl,
        apiVersion: GEMINI_API_VERSION,
        fetch: (input, init) => fetch(input, init),
      },
    });
  }

  async generate(request: GenerateRequest): Promise<ModelTurn> {
    const response = await callKeepingHeaders(
      () => this.client.models.generateContent(this.toParameters(request)),
      classifyGenaiError,
    );
    return toTurn(response);
  }

  async generateStream(request: StreamRequest): Promise<ModelTurn> {
    const merged = await callKeepingHeaders(async () => {
      const stream = await this.client.models.generateContentStream(this.toParameters(request));
      return readStream(stream, request.onChunk);
    }, classifyGenaiError);
    return toTurn(merged);
  }

  private toParameters({
    messages,
    tools,
    systemInstruction,
    signal,
  }: GenerateRequest): GenerateContentParameters {
    // Copies: the SDK rewrites each declaration's `parameters` in place (upper-case types), and the
    // shared declarations are cached for every call of every adapter.
    const functionDeclarations = toFunctionDeclarations(tools).map((declaration) => ({
      ...declaration,
      parameters: declaration.parameters as Schema,
    }));
    return {
      model: this.modelName,
      contents: toGeminiContents(messages, GENAI_CONTENTS) as Content[],
      config: {
        tools: tools.length ? [{ functionDeclarations }] : undefined,
        systemInstruction,
        abortSignal: signal,
      },
    };
  }
}
