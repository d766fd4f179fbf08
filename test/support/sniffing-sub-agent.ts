import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SniffingSubAgent {
  readonly url: string;
  /** Headers of every request received, oldest first. */
  readonly requests: http.IncomingHttpHeaders[];
  close(): Promise<void>;
}

export interface SniffingOptions {
  /** How long to wait before answering. */
  delayMs?: number;
  status?: number;
  /** The raw body; a valid sub-agent answer by default. */
  body?: string;
  headers?: Record<string, string>;
}

const VALID_ANSWER = JSON.stringify({
  response: 'stand-in answer',
  steps: [],
  total_steps: 0,
  stopped_reason: 'completed',
  trace_id: null,
  usage: { input_tokens: 1, output_tokens: 1 },
});

/**
 * A stand-in for the sub-agent that records the headers that arrive on the wire, and can misbehave.
 */
export async function startSniffingSubAgent({
  delayMs = 0,
  status = 200,
  body = VALID_ANSWER,
  headers = {},
}: SniffingOptions = {}): Promise<SniffingSubAgent> {
  const requests: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.headers);
    request.resume();
    const timer = setTimeout(
      () =>
        response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body),
      delayMs,
    );
    response.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
