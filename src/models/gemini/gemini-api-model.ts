import type { ChatModel, GenerateRequest, ModelTurn, StreamRequest } from '../model';

/** What either SDK's adapter is built from. */
export interface GeminiModelOptions {
  apiKey: string;
  modelName: string;
  /** Any Gemini-compatible endpoint: the real API, a proxy, a gateway or the offline emulator. */
  baseUrl?: string;
}

/**
 * The Gemini API (AI Studio) as the GenAI conventions name it (`gen_ai.provider.name`): the
 * provider of both SDKs' adapters, and its key in the pricing table.
 */
const GEMINI_PROVIDER_NAME = 'gcp.gemini';

/** Where both SDKs send requests when no base URL is given. */
const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

/**
 * The API version both SDKs call, named so that they speak the same wire (and the emulator hears
 * one): `@google/genai` 3 defaults to `v1` and reads `GOOGLE_GENAI_API_VERSION`, while
 * `@google/generative-ai` only knows `v1beta`.
 */
export const GEMINI_API_VERSION = 'v1beta';

/**
 * What both SDKs' adapters are: a model of the Gemini API at an endpoint. Each adds its own client
 * and its two calls.
 */
export abstract class GeminiApiModel implements ChatModel {
  readonly providerName = GEMINI_PROVIDER_NAME;
  readonly modelName: string;
  readonly endpoint: URL;
  /** The base URL as both SDKs take it: they append `/{version}/...`, and break on a trailing slash. */
  protected readonly sdkBaseUrl: string;

  constructor({ modelName, baseUrl = GEMINI_DEFAULT_BASE_URL }: GeminiModelOptions) {
    this.modelName = modelName;
    this.endpoint = new URL(baseUrl);
    this.sdkBaseUrl = baseUrl.replace(/\/+$/, '');
  }

  abstract generate(request: GenerateRequest): Promise<ModelTurn>;

  abstract generateStream(request: StreamRequest): Promise<ModelTurn>;
}
