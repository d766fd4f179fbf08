import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { request as undiciRequest } from 'undici';
import { reportMissing } from '../support/needs-component';
import { firstJsonBody, rawExchange, sendWhileReadingLate } from '../support/raw-http';
import { spawnService, stopAllServices, type SpawnedService } from '../support/spawn-service';

/**
 * A request refused at the edge while its client is still sending the body (a body over 64 kB, a
 * body that is not JSON): whatever the client, it reads the JSON answer, never a reset. The server
 * reads and throws away a bounded part of what is still coming (LIMITS.lingerMaxBytes), then closes.
 */

const EXECUTE = '/api/v1/agent/execute';
const BODY_BYTES = 3 * 1024 * 1024;
const BODY = Buffer.alloc(BODY_BYTES, 'a');
const PIECE_BYTES = 64 * 1024;

let service: SpawnedService;
let folder: string;
let bodyFile: string;
beforeAll(async () => {
  service = await spawnService({ env: { OTEL_TRACES_EXPORTER: 'none' } });
  folder = mkdtempSync(path.join(tmpdir(), 'refusals-'));
  bodyFile = path.join(folder, 'body');
  writeFileSync(bodyFile, BODY);
});
afterAll(async () => {
  await stopAllServices();
  rmSync(folder, { recursive: true, force: true });
});

/** The body in pieces, so that clients send it chunked (no Content-Length). */
async function* pieces(): AsyncGenerator<Buffer> {
  for (let start = 0; start < BODY_BYTES; start += PIECE_BYTES)
    yield BODY.subarray(start, start + PIECE_BYTES);
}

interface Sent {
  contentType: string;
  chunked: boolean;
}

interface Read {
  status: number;
  body: unknown;
}

type Client = (url: string, sent: Sent) => Promise<Read>;

const fetchClient: Client = async (url, { contentType, chunked }) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: chunked ? ReadableStream.from(pieces()) : BODY,
    duplex: 'half',
  });
  return { status: response.status, body: await response.json() };
};

const undiciClient: Client = async (url, { contentType, chunked }) => {
  const response = await undiciRequest(url, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: chunked ? Readable.from(pieces()) : BODY,
  });
  return { status: response.statusCode, body: await response.body.json() };
};

/** What the keep-alive agent's requests emitted after their answer was read: none is expected. */
const lateErrors: string[] = [];
const keepAliveAgent = new http.Agent({ keepAlive: true });
afterAll(() => keepAliveAgent.destroy());

const keepAliveClient: Client = (url, { contentType, chunked }) =>
  new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request(
      url,
      {
        method: 'POST',
        agent: keepAliveAgent,
        headers: {
          'Content-Type': contentType,
          ...(chunked ? {} : { 'Content-Length': String(BODY_BYTES) }),
        },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => {
          answered = true;
          resolve({ status: response.statusCode!, body: JSON.parse(text) });
        });
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) =>
      answered ? lateErrors.push(error.code ?? error.message) : reject(error),
    );
    if (!chunked) return void request.end(BODY);
    void (async () => {
      for await (const piece of pieces())
        if (!request.write(piece)) await new Promise((drained) => request.once('drain', drained));
      request.end();
    })().catch(() => undefined);
  });

const hasCurl = spawnSync('curl', ['--version']).status === 0;

/** curl sends `Expect: 100-continue` by itself for a body over 1 MB: `Expect:` removes it. */
const curlClient =
  (expect: '100-continue' | ''): Client =>
  (url, { contentType, chunked }) =>
    new Promise((resolve, reject) => {
      const args = ['-sS', '-w', '\n%{http_code}', '-H', `Content-Type: ${contentType}`];
      args.push('-H', `Expect: ${expect}`, '--data-binary', `@${bodyFile}`, url);
      if (chunked) args.push('-H', 'Transfer-Encoding: chunked');
      execFile('curl', args, (error, stdout, stderr) => {
        if (error) return reject(new Error(`curl failed (${String(error.code)}): ${stderr}`));
        const [body, status] = [
          stdout.slice(0, stdout.lastIndexOf('\n')),
          stdout.split('\n').at(-1),
        ];
        resolve({ status: Number(status), body: JSON.parse(body) });
      });
    });

const CLIENTS: [string, Client][] = [
  ['Node fetch', fetchClient],
  ['undici.request', undiciClient],
  ['a node:http keep-alive agent', keepAliveClient],
  ...(hasCurl
    ? ([
        ['curl without Expect', curlClient('')],
        ['curl with Expect: 100-continue', curlClient('100-continue')],
      ] as [string, Client][])
    : []),
];

const REFUSALS: [string, Sent, number, string][] = [
  [
    'a 3 MB body over the limit',
    { contentType: 'application/json', chunked: false },
    413,
    'payload_too_large',
  ],
  [
    'a 3 MB chunked body over the limit',
    { contentType: 'application/json', chunked: true },
    413,
    'payload_too_large',
  ],
  [
    'a 3 MB chunked body that is not JSON',
    { contentType: 'text/plain', chunked: true },
    415,
    'unsupported_media_type',
  ],
];

describe('a refusal while the client still sends, read by each kind of client', () => {
  if (!hasCurl)
    reportMissing('curl, one of the clients, is not installed', 'apt-get install -y curl');

  it.each(
    CLIENTS.flatMap(([clientName, client]) =>
      REFUSALS.map(
        ([caseName, sent, status, code]) =>
          [clientName, caseName, client, sent, status, code] as const,
      ),
    ),
  )('lets %s read the JSON answer to %s', async (_client, _case, client, sent, status, code) => {
    const read = await client(`${service.url}${EXECUTE}`, sent);
    expect(read).toEqual({ status, body: { error: { code, message: expect.any(String) } } });
  });

  it('leaves a keep-alive agent with no error after the answer, and able to send the next request', async () => {
    expect(lateErrors).toEqual([]);
    const next = await new Promise<number>((resolve, reject) =>
      http
        .request(
          `${service.url}${EXECUTE}`,
          {
            method: 'POST',
            agent: keepAliveAgent,
            headers: { 'Content-Type': 'application/json' },
          },
          (response) => response.resume().on('end', () => resolve(response.statusCode!)),
        )
        .on('error', reject)
        .end(JSON.stringify({ task: 'Calculate 2 + 2' })),
    );
    expect(next).toBe(200);
  });
});

/**
 * A client that sends its whole body before it reads anything, as many HTTP clients do (and any
 * client whose event loop is busy when the answer comes): what it reads once it has sent it all.
 */
function sendAllThenRead(url: string, head: string, body: Buffer[]) {
  return rawExchange(url, {
    write: (socket: Socket) => {
      socket.pause();
      socket.write(head);
      void (async () => {
        for (const piece of body)
          if (!socket.write(piece)) await new Promise((drained) => socket.once('drain', drained));
        socket.resume();
      })();
    },
    timeoutMs: 15_000,
  });
}

const chunkedHead = (contentType: string) =>
  `POST ${EXECUTE} HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${contentType}\r\nTransfer-Encoding: chunked\r\n\r\n`;
const chunkedPieces = () => [
  ...Array.from({ length: BODY_BYTES / PIECE_BYTES }, (_, index) =>
    Buffer.concat([
      Buffer.from(`${PIECE_BYTES.toString(16)}\r\n`),
      BODY.subarray(index * PIECE_BYTES, (index + 1) * PIECE_BYTES),
      Buffer.from('\r\n'),
    ]),
  ),
  Buffer.from('0\r\n\r\n'),
];

describe('a client that reads only once it has sent its whole 3 MB body', () => {
  it.each([
    ['a chunked JSON body over the limit', 'application/json', 413, 'payload_too_large'],
    ['a chunked body that is not JSON', 'text/plain', 415, 'unsupported_media_type'],
  ])('reads the answer to %s', async (_case, contentType, status, code) => {
    // Before: the server stopped reading at 64 kB, the client could not finish sending, and the
    // connection was reset 2 s later with the answer unread.
    const answer = await sendAllThenRead(service.url, chunkedHead(contentType), chunkedPieces());
    expect(answer.statuses).toEqual([status]);
    expect(firstJsonBody(answer.text)).toEqual({
      error: { code, message: expect.any(String) },
    });
    expect(answer.closedByServer).toBe(true);
  });
});

describe('a busy client: still sending when the answer comes, it reads 3 s later', () => {
  const piece = chunkedPieces()[0]!;

  it.each([
    ['a chunked JSON body over the limit', 'application/json', 413],
    ['a chunked body that is not JSON', 'text/plain', 415],
  ])(
    'reads the answer to %s, and the server throws away at most a few MB of it',
    async (_case, contentType, status) => {
      // Before: reset 2 s after the answer, so this client read nothing; and of the body that is
      // not JSON the server read all it was sent until then, gigabytes on loopback.
      const answer = await sendWhileReadingLate(
        service.url,
        chunkedHead(contentType),
        piece,
        3_000,
      );
      expect(answer.statuses).toEqual([status]);
      expect(answer.closedByServer).toBe(true);
      // LIMITS.lingerMaxBytes read, plus what the kernel's buffers hold on either side.
      expect(answer.bytesWritten).toBeLessThan(64 * 1024 * 1024);
    },
  );
});
