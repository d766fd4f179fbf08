import { AsyncLocalStorage } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';

/**
 * The Gemini SDK throws on a non-2xx answer without its headers, so a `Retry-After` would be lost.
 * Global `fetch` (undici) publishes every request on diagnostics channels, in the caller's async
 * context: we note which requests belong to a call made inside `captureResponseHeaders`, and keep
 * the headers of the last response. This is the same mechanism the undici instrumentation uses.
 */
interface Capture {
  headers: Map<string, string> | undefined;
}

const storage = new AsyncLocalStorage<Capture>();
const captureOf = new WeakMap<object, Capture>();

interface RequestCreateMessage {
  request: object;
}
interface ResponseHeadersMessage {
  request: object;
  response: { headers: (Buffer | string)[] };
}

diagnosticsChannel.subscribe('undici:request:create', (message) => {
  const capture = storage.getStore();
  if (capture) captureOf.set((message as RequestCreateMessage).request, capture);
});

diagnosticsChannel.subscribe('undici:request:headers', (message) => {
  const { request, response } = message as ResponseHeadersMessage;
  const capture = captureOf.get(request);
  if (!capture) return;
  const headers = new Map<string, string>();
  for (let index = 0; index + 1 < response.headers.length; index += 2) {
    headers.set(String(response.headers[index]).toLowerCase(), String(response.headers[index + 1]));
  }
  capture.headers = headers;
});

export interface CapturedCall<T> {
  outcome: { ok: true; value: T } | { ok: false; error: unknown };
  /** The headers of the last HTTP response received during the call, if any. */
  headers: Map<string, string> | undefined;
}

export async function captureResponseHeaders<T>(work: () => Promise<T>): Promise<CapturedCall<T>> {
  const capture: Capture = { headers: undefined };
  try {
    const value = await storage.run(capture, work);
    return { outcome: { ok: true, value }, headers: capture.headers };
  } catch (error) {
    return { outcome: { ok: false, error }, headers: capture.headers };
  }
}
