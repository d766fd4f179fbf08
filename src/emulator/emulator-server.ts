import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  dialectOf,
  estimateTokens,
  functionResponseProblem,
  googleError,
  isWireGenerateRequest,
  type WireDialect,
  type WireGenerateRequest,
  type WireGenerateResponse,
  type WirePart,
  type WireUsage,
} from './gemini-wire';
import { planReply } from './planner';
import type { ScriptedReply } from './scripted-reply';

export interface RecordedRequest {
  /** The API serves this slice the same under both; the SDKs differ in their default. */
  apiVersion: 'v1' | 'v1beta';
  model: string;
  method: 'generateContent' | 'streamGenerateContent';
  /** Which SDK's form the request is in; the answer is in the same form. */
  dialect: WireDialect;
  headers: http.IncomingHttpHeaders;
  body: WireGenerateRequest;
  /** True once the client closed the connection before the answer was complete. */
  abandoned: boolean;
}

export interface GeminiEmulator {
  /** The base URL to give the SDK (`requestOptions.baseUrl`), without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** The requests received, oldest first (the last 200). */
  readonly requests: readonly RecordedRequest[];
  /** Queues replies that are used, in order, before the planner is asked again. */
  enqueue(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
}

export interface GeminiEmulatorOptions {
  host?: string;
  port?: number;
  /** Fixed latency added to every planned reply, to make traces look like real model calls. */
  latencyMs?: number;
}

const MAX_BODY_BYTES = 20 * 1024 * 1024;
const MAX_RECORDED_REQUESTS = 200;
const ROUTE = /^\/(v1|v1beta)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

function sendJson(
  response: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  response.end(payload);
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Function calls as the dialect expects them: with an id for `@google/genai` (as newer models send
 * them, to be matched by the result's), without for `@google/generative-ai`, whose types have none.
 */
function withCallIds(parts: readonly WirePart[], dialect: WireDialect): WirePart[] {
  if (dialect !== 'genai') return [...parts];
  return parts.map((part) =>
    'functionCall' in part && !part.functionCall.id
      ? { functionCall: { ...part.functionCall, id: randomBytes(6).toString('hex') } }
      : part,
  );
}

function buildResponse(
  model: string,
  request: WireGenerateRequest,
  parts: WirePart[],
  finishReason: string,
  usage: Partial<WireUsage> = {},
): WireGenerateResponse {
  const promptTokenCount =
    usage.promptTokenCount ??
    estimateTokens([request.contents, request.tools, request.systemInstruction]);
  const candidatesTokenCount = usage.candidatesTokenCount ?? estimateTokens(parts);
  return {
    candidates: [{ content: { role: 'model', parts }, finishReason, index: 0 }],
    usageMetadata: {
      promptTokenCount,
      candidatesTokenCount,
      totalTokenCount: usage.totalTokenCount ?? promptTokenCount + candidatesTokenCount,
    },
    modelVersion: model,
    responseId: randomBytes(16).toString('base64url'),
  };
}

/** A planned wait, cut short when the client gives up: no timer outlives its request. */
function waitWhileConnected(ms: number, response: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      response.off('close', finish);
      resolve();
    };
    const timer = setTimeout(finish, ms);
    response.once('close', finish);
  });
}

const FAILURE_PAUSE_MS = 50;

/** Text in a few pieces of whole words, as a real model streams it. */
const TEXT_PIECES = 4;

function splitText(text: string): string[] {
  const words = text.match(/\S+\s*/g) ?? [text];
  const size = Math.ceil(words.length / TEXT_PIECES);
  const pieces: string[] = [];
  for (let index = 0; index < words.length; index += size)
    pieces.push(words.slice(index, index + size).join(''));
  return pieces.length ? pieces : [text];
}

/** One part per chunk (the SDK merges several parts of one chunk wrongly), text split further. */
function chunkParts(parts: readonly WirePart[]): WirePart[][] {
  const pieces = parts.flatMap((part): WirePart[] =>
    'text' in part ? splitText(part.text).map((text) => ({ text })) : [part],
  );
  // A turn without parts (a SAFETY block) is still one chunk, with its finish reason and usage.
  return pieces.length ? pieces.map((part) => [part]) : [[]];
}

/** Like Gemini, every chunk carries the usage so far (cumulative): summing chunks overcounts. */
function usageSoFar(full: WireUsage, sent: number, total: number): WireUsage {
  const candidatesTokenCount = Math.floor((full.candidatesTokenCount * sent) / total);
  return {
    promptTokenCount: full.promptTokenCount,
    candidatesTokenCount,
    totalTokenCount: full.promptTokenCount + candidatesTokenCount,
  };
}

interface StreamOptions {
  /** Spread over the chunks: each one waits its share before it is sent. */
  latencyMs?: number;
  failAfterChunks?: number;
}

/**
 * Server-sent events as the SDK parses them: `data: <json>` and a blank line; the finish reason
 * only on the last chunk.
 */
async function sendStream(
  response: http.ServerResponse,
  full: WireGenerateResponse,
  { latencyMs = 0, failAfterChunks }: StreamOptions = {},
): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  const candidate = full.candidates[0];
  const chunks = chunkParts(candidate?.content.parts ?? []);
  for (const [index, chunkParts] of chunks.entries()) {
    if (index === failAfterChunks) {
      // A pause first, so that the client has read the chunks before the connection breaks.
      await delay(FAILURE_PAUSE_MS);
      return void response.socket?.destroy();
    }
    if (latencyMs > 0) await delay(latencyMs / chunks.length);
    if (response.destroyed) return;
    const last = index === chunks.length - 1;
    const chunk = {
      ...full,
      candidates: [
        {
          ...candidate,
          content: { role: 'model', parts: chunkParts },
          ...(last ? {} : { finishReason: undefined }),
        },
      ],
      usageMetadata: last
        ? full.usageMetadata
        : usageSoFar(full.usageMetadata, index + 1, chunks.length),
    };
    await new Promise((resolve) => response.write(`data: ${JSON.stringify(chunk)}\n\n`, resolve));
  }
  response.end();
}

/**
 * A local server that speaks the Gemini REST API the SDK uses, so offline runs exercise the real
 * SDK, the real HTTP client spans and the real wire. It plans replies deterministically
 * (see `planner.ts`) unless a test has queued scripted replies.
 */
export async function startGeminiEmulator({
  host = '127.0.0.1',
  port = 0,
  latencyMs = 0,
}: GeminiEmulatorOptions = {}): Promise<GeminiEmulator> {
  const queue: ScriptedReply[] = [];
  const requests: RecordedRequest[] = [];

  async function answer(
    scripted: ScriptedReply | undefined,
    response: http.ServerResponse,
    { model, body, dialect, method }: RecordedRequest,
  ) {
    const stream = method === 'streamGenerateContent';
    if (!scripted) {
      const planned = planReply(body);
      if (planned.delayMs) await waitWhileConnected(planned.delayMs, response);
      if (response.destroyed) return;
      const parts = withCallIds(planned.parts, dialect);
      const full = buildResponse(model, body, parts, planned.finishReason);
      if (stream) return sendStream(response, full, { latencyMs });
      if (latencyMs > 0) await delay(latencyMs);
      return sendJson(response, 200, full);
    }
    if ('delayMs' in scripted && scripted.delayMs) await delay(scripted.delayMs);
    switch (scripted.kind) {
      case 'turn': {
        const full = buildResponse(
          model,
          body,
          withCallIds(scripted.parts, dialect),
          scripted.finishReason ?? 'STOP',
          scripted.usage,
        );
        if (!stream) return sendJson(response, 200, full);
        return sendStream(response, full, {
          latencyMs: (scripted.chunkDelayMs ?? 0) * chunkParts(scripted.parts).length,
          failAfterChunks: scripted.failAfterChunks,
        });
      }
      case 'error':
        return sendJson(
          response,
          scripted.status,
          googleError(
            scripted.status,
            scripted.message ?? `Scripted error ${scripted.status}`,
            scripted.details,
          ),
          scripted.headers,
        );
      case 'raw':
        response.writeHead(scripted.status ?? 200, {
          'content-type': scripted.contentType ?? 'text/html',
        });
        return response.end(scripted.body);
      case 'hang':
        return; // the client's deadline, or close(), ends it
      case 'drop':
        return response.socket?.destroy();
    }
  }

  async function handle(request: http.IncomingMessage, response: http.ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://emulator');
    if (request.method === 'GET' && url.pathname === '/healthz')
      return sendJson(response, 200, { status: 'ok' });
    const route = ROUTE.exec(url.pathname);
    if (!route || request.method !== 'POST')
      return sendJson(
        response,
        404,
        googleError(404, `No route for ${request.method} ${url.pathname}`),
      );
    const [, apiVersion, model = '', method] = route;

    let body: unknown;
    try {
      body = JSON.parse(await readBody(request));
    } catch (error) {
      return sendJson(
        response,
        400,
        googleError(400, `Invalid JSON payload received. ${(error as Error).message}`),
      );
    }
    if (!isWireGenerateRequest(body))
      return sendJson(
        response,
        400,
        googleError(400, '* GenerateContentRequest.contents: contents is not specified'),
      );

    const dialect = dialectOf(request.headers['x-goog-api-client']);
    const problem = dialect === 'genai' ? functionResponseProblem(body.contents) : undefined;
    if (problem) return sendJson(response, 400, googleError(400, problem));

    const recorded: RecordedRequest = {
      apiVersion: apiVersion as RecordedRequest['apiVersion'],
      model,
      method: method as RecordedRequest['method'],
      dialect,
      headers: request.headers,
      body,
      abandoned: false,
    };
    response.once('close', () => {
      if (!response.writableFinished) recorded.abandoned = true;
    });
    requests.push(recorded);
    if (requests.length > MAX_RECORDED_REQUESTS) requests.shift();
    await answer(queue.shift(), response, recorded);
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        sendJson(response, 500, googleError(500, `Emulator failure: ${(error as Error).message}`));
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: boundPort } = server.address() as AddressInfo;
  // Its requests come from our own model calls: tracing them would add a SERVER span under every
  // model call.
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${boundPort}`,
    port: boundPort,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
