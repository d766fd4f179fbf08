/**
 * The slice of the Gemini REST wire format (`generateContent`, v1 and v1beta) the emulator speaks:
 * what `@google/generative-ai` and `@google/genai` send and what they parse back.
 */

export type WirePart =
  | { text: string }
  | { functionCall: { id?: string; name: string; args: Record<string, unknown> } }
  | { functionResponse: { id?: string; name: string; response: Record<string, unknown> } };

export interface WireContent {
  role?: string;
  parts: WirePart[];
}

export interface WireFunctionDeclaration {
  name: string;
  description?: string;
  parameters?: unknown;
}

export interface WireGenerateRequest {
  contents: WireContent[];
  tools?: { functionDeclarations?: WireFunctionDeclaration[] }[];
  systemInstruction?: unknown;
  generationConfig?: unknown;
  toolConfig?: unknown;
}

export interface WireUsage {
  promptTokenCount: number;
  candidatesTokenCount: number;
  totalTokenCount: number;
}

export interface WireGenerateResponse {
  candidates: {
    content: { role: 'model'; parts: WirePart[] };
    finishReason: string;
    index: number;
  }[];
  usageMetadata: WireUsage;
  modelVersion: string;
  responseId: string;
}

/** Google's error body: `{"error": {"code", "message", "status"}}`. */
export interface WireError {
  error: { code: number; message: string; status: string; details?: unknown[] };
}

const GOOGLE_STATUS_BY_HTTP: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export function googleError(code: number, message: string, details?: unknown[]): WireError {
  return {
    error: {
      code,
      message,
      status: GOOGLE_STATUS_BY_HTTP[code] ?? 'UNKNOWN',
      ...(details ? { details } : {}),
    },
  };
}

/**
 * Roughly four characters a token, as for English text: good enough for realistic `usageMetadata`.
 */
export function estimateTokens(value: unknown): number {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  return Math.max(1, Math.ceil(text.length / 4));
}

export function isWireGenerateRequest(body: unknown): body is WireGenerateRequest {
  if (body === null || typeof body !== 'object') return false;
  const { contents } = body as { contents?: unknown };
  return (
    Array.isArray(contents) &&
    contents.every(
      (content) =>
        content && typeof content === 'object' && Array.isArray((content as WireContent).parts),
    )
  );
}

/**
 * Which SDK's form a request is in, from its `x-goog-api-client` header: `@google/genai` sends
 * `google-genai-sdk/<version>`, `@google/generative-ai` `genai-js/<version>`.
 */
export type WireDialect = 'generative-ai' | 'genai';

export function dialectOf(apiClientHeader: string | string[] | undefined): WireDialect {
  return String(apiClientHeader).startsWith('google-genai-sdk/') ? 'genai' : 'generative-ai';
}

/**
 * What the API refuses in a `@google/genai` conversation: a function result that is not `user`
 * content, or whose id names no function call before it. `undefined` when it is well formed.
 */
export function functionResponseProblem(contents: readonly WireContent[]): string | undefined {
  const callIds = new Set<string>();
  for (const [index, content] of contents.entries()) {
    for (const part of content.parts) {
      if ('functionCall' in part && part.functionCall.id) callIds.add(part.functionCall.id);
      if (!('functionResponse' in part)) continue;
      const { id, name } = part.functionResponse;
      if (content.role !== 'user')
        return `* contents[${index}].role: a function response must be user content, not "${content.role}"`;
      if (!id || !callIds.has(id))
        return `* contents[${index}]: the function response for ${name} has id "${id ?? ''}", which matches no function call`;
    }
  }
  return undefined;
}
