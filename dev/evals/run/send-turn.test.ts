import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyOf, sendTurn } from './send-turn';

/** A server that answers each request with the next of `answers`: a status, or a dropped connection. */
async function serve(...answers: (number | 'drop')[]) {
  const seen: unknown[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      seen.push(JSON.parse(body));
      const answer = answers.shift() ?? 200;
      if (answer === 'drop') return void request.socket.destroy();
      response.writeHead(answer, {
        'content-type': 'application/json',
        'x-trace-id': 'b'.repeat(32),
      });
      response.end(
        JSON.stringify(
          answer === 200 ? { response: 'ok', trace_id: 'a'.repeat(32) } : { error: { code: 'x' } },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const signal = () => AbortSignal.timeout(10_000);

describe('sending a turn', () => {
  it('tries again after a connection that broke without an answer', async () => {
    const server = await serve('drop', 'drop', 200);
    try {
      const answer = await sendTurn(server.url, { task: 'x' }, { signal: signal() });
      expect(answer).toEqual({
        status: 200,
        body: { response: 'ok', trace_id: 'a'.repeat(32) },
        traceId: 'a'.repeat(32),
      });
      expect(server.seen).toHaveLength(3);
    } finally {
      await server.close();
    }
  });

  it('takes an error status as the outcome, never trying again, its trace id from the header', async () => {
    const server = await serve(503);
    try {
      const answer = await sendTurn(server.url, { task: 'x' }, { signal: signal() });
      expect(answer).toMatchObject({ status: 503, traceId: 'b'.repeat(32) });
      expect(server.seen).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('gives up after three broken connections', async () => {
    const server = await serve('drop', 'drop', 'drop', 200);
    try {
      await expect(sendTurn(server.url, { task: 'x' }, { signal: signal() })).rejects.toThrow(
        'fetch failed',
      );
      expect(server.seen).toHaveLength(3);
    } finally {
      await server.close();
    }
  });

  it("makes a turn's user and session the case's own, and sends a raw body as it is", () => {
    expect(
      bodyOf({ task: 'hi', user_id: 'ana', session_id: 's1', max_steps: 2 }, 'x1.case'),
    ).toEqual({
      task: 'hi',
      user_id: 'x1.case.ana',
      session_id: 'x1.case.s1',
      max_steps: 2,
    });
    expect(bodyOf({ body: { task: 'hi', maxSteps: 3 } }, 'x1.case')).toEqual({
      task: 'hi',
      maxSteps: 3,
    });
  });
});
