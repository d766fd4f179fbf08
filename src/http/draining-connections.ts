import type { Server, ServerResponse } from 'node:http';

/**
 * What a server that stops needs to know of its answers and connections. HTTP/1.1 cannot tell a
 * client that an idle keep-alive connection is about to close: a client that sends a request on
 * it at that moment gets a reset, and cannot know whether the request ran (RFC 9112 §9.3.1). So,
 * while draining, every answer says `Connection: close` (its client sends nothing more there),
 * and the idle connections are closed only once no request has started for a while: a client
 * still sending uses each of its connections once more, and they close themselves. Node's
 * `closeIdleConnections()` at once would also close a connection whose next request is already
 * waiting in the socket, unread.
 */
export interface DrainingConnections {
  /** From now on, every answer not yet begun closes its connection (`Connection: close`). */
  closeAfterAnswers(): void;
  /**
   * Closes the idle connections if no request has started for `quietMs`, once what has already
   * arrived is read (a busy event loop may not have read a waiting request yet).
   */
  closeIdleWhenQuiet(quietMs: number): Promise<void>;
  /**
   * Resolves once every response so far has closed. The http instrumentation ends a server span in
   * its own listener for the response's 'close', added before ours: after the last one, every
   * server span has ended. The server's close callback may come first: not enough.
   */
  allAnswered(): Promise<void>;
}

const closeAfterAnswer = (response: ServerResponse) => {
  if (!response.headersSent) response.setHeader('Connection', 'close');
};

/**
 * Two turns of the event loop: in each, libuv reads the sockets that have data, and a request that
 * was waiting starts.
 */
async function readWhatHasArrived(): Promise<void> {
  for (let turn = 0; turn < 2; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

export function trackConnections(server: Server): DrainingConnections {
  const open = new Set<ServerResponse>();
  let lastRequestAt = performance.now();
  let draining = false;
  let onAllAnswered: (() => void) | undefined;
  // Before the app's listener, which may answer at once.
  server.prependListener('request', (_request, response: ServerResponse) => {
    lastRequestAt = performance.now();
    if (draining) closeAfterAnswer(response);
    open.add(response);
    response.once('close', () => {
      open.delete(response);
      if (open.size === 0) onAllAnswered?.();
    });
  });
  return {
    closeAfterAnswers() {
      draining = true;
      open.forEach(closeAfterAnswer);
    },
    async closeIdleWhenQuiet(quietMs) {
      if (performance.now() - lastRequestAt < quietMs) return;
      const before = lastRequestAt;
      await readWhatHasArrived();
      if (lastRequestAt === before) server.closeIdleConnections();
    },
    allAnswered: () =>
      open.size ? new Promise((resolve) => (onAllAnswered = resolve)) : Promise.resolve(),
  };
}
