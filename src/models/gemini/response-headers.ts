import { AsyncLocalStorage } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';

/**
 * The Gemini SDK throws on a non-2xx answer without its headers, so a `Retry-After` would be lost.
 * Global `fetch` (undici) publishes every request on diagnostics channels, in the caller's async
 * context: we note which requests belong to a call made inside `callKeepingHeaders`, and keep
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

/**
 * Runs one SDK call. When it fails, `classify` names the failure knowing the headers of the last
 * HTTP response the call received (a `Retry-After` the SDK's error does not carry).
 */
export async function callKeepingHeaders<T>(
  work: () => Promise<T>,
  classify: (error: unknown, headers: ReadonlyMap<string, string> | undefined) => Error,
): Promise<T> {
  const capture: Capture = { headers: undefined };
  try {
    return await storage.run(capture, work);
  } catch (error) {
    throw classify(error, capture.headers);
  }
}
