import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { LIMITS } from '../limits';
import { answerClientError, refuseConnect } from './client-errors';
import { guardConnections, type ConnectionGuardOptions } from './connection-guard';
import { deferContinue } from './expect-continue';

/**
 * Serves `app` behind the connection guard (src/http/connection-guard.ts), with Node's own errors
 * answered as JSON and `100 Continue` sent only when the body is about to be read
 * (src/http/expect-continue.ts). A request without `Host` reaches the guard, which answers it
 * (Node's own answer is a plain-text 400, untraced), and `CONNECT` is refused as JSON (Node would
 * close the connection without a word).
 */
export async function listen(
  app: Express,
  port: number,
  host: string,
  guard: Partial<ConnectionGuardOptions> = {},
): Promise<Server> {
  const guarded = guardConnections(app, {
    maxRequestsPerConnection: LIMITS.maxRequestsPerConnection,
    maxBodyBytes: LIMITS.maxBodyBytes,
    ...guard,
  });
  const server = deferContinue(createServer({ requireHostHeader: false }, guarded))
    .on('clientError', answerClientError)
    .on('connect', refuseConnect);
  return new Promise((resolve, reject) => {
    server
      .once('error', reject)
      .listen({ port, host, backlog: LIMITS.listenBacklog }, () =>
        resolve(server.off('error', reject)),
      );
  });
}

export function urlOf(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${port}`;
}
