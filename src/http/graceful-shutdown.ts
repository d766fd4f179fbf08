import { setMaxListeners } from 'node:events';
import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { Logger } from 'pino';
import { RunError } from '../agent/run-budget';
import { LIMITS } from '../limits';
import { shutdownTracing } from '../tracing/setup/lifecycle';
import { trackConnections, type DrainingConnections } from './draining-connections';

const cutRequests = new AbortController();
// Every request in flight listens to it: that is not a leak.
setMaxListeners(0, cutRequests.signal);

/**
 * Aborted, with a `RunError` of type `shutdown_timeout`, when shutdown stops waiting for the
 * requests in flight. The routes hand it to their runs, so a cut run ends its spans as ERROR and
 * answers 503 before its connection closes, and the flush that follows exports all of it.
 */
export const shutdownSignal: AbortSignal = cutRequests.signal;

/** Time left, after in-flight requests, to flush spans and release resources. */
const FLUSH_GRACE_MS = LIMITS.flushGraceMs;

/**
 * Time cancelled runs get to answer (part of `FLUSH_GRACE_MS`) before their connections are closed.
 */
const CANCEL_GRACE_MS = LIMITS.cancelGraceMs;

/**
 * While draining, idle keep-alive connections are closed once no request has started for this
 * long: a client still sending uses each of its connections once more before then (answered with
 * `Connection: close`), and shutdown waits about this long for the others (src/limits.ts).
 */
const QUIET_MS = LIMITS.drainQuietMs;
const SWEEP_INTERVAL_MS = 50;

export interface GracefulShutdownOptions {
  logger: Logger;
  /** Releases what the service holds (the emulator, ...) once no request is in flight. */
  release?: () => Promise<void>;
  /** Called first, so health checks report the service as going away. */
  onStopping?: () => void;
  /**
   * How long the listener goes on accepting and answering after the signal, `/readyz` at 503, so
   * that load balancers stop sending requests before connections are refused.
   */
  drainDelayMs?: number;
  /**
   * After the drain delay, how long the requests in flight may take; the ones still running then
   * are cut (see `shutdownSignal`).
   */
  timeoutMs?: number;
}

function settlesWithin(work: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([work.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

/** `net.Server.close()`: no new connections; `onClosed` once the open ones have ended. */
function stopListening(server: Server, onClosed: () => void): void {
  NetServer.prototype.close.call(server, () => onClosed());
}

/** Closes the server once its requests are done; true if they all finished within `timeoutMs`. */
async function drain(
  server: Server,
  connections: DrainingConnections,
  timeoutMs: number,
  logger: Logger,
): Promise<boolean> {
  // New connections are refused first: their clients then know the request was never sent, and
  // may send it elsewhere. (`http.Server.close()` would also close every idle keep-alive
  // connection at once, racing the clients about to use them: see src/http/draining-connections.ts.)
  const serverClosed = new Promise<void>((resolve) => stopListening(server, resolve));
  // Harmless when the drain delay already did it; without a delay, only once the listener is
  // closed, as before the delay existed (a keep-alive client told to close while the listener
  // still accepted was, one run in three, reset on its next call).
  connections.closeAfterAnswers();
  logger.info('Drain delay over: no new connections are accepted');
  const closed = serverClosed.then(() => connections.allAnswered());
  const sweep = setInterval(() => void connections.closeIdleWhenQuiet(QUIET_MS), SWEEP_INTERVAL_MS);
  try {
    if (await settlesWithin(closed, timeoutMs)) return true;
    logger.warn(
      { timeoutMs },
      'Shutdown deadline reached; cancelling the requests still in flight',
    );
    const reason = `The service is shutting down and stopped this request after SHUTDOWN_TIMEOUT_MS (${timeoutMs} ms); send it again.`;
    cutRequests.abort(new RunError('shutdown_timeout', reason));
    // For work that does not observe the signal (a body still arriving): its server span ends as
    // the socket closes.
    if (!(await settlesWithin(closed, CANCEL_GRACE_MS))) {
      logger.warn('Closing the connections still open');
      server.closeAllConnections();
      await closed;
    }
    return false;
  } finally {
    clearInterval(sweep);
  }
}

/**
 * SIGTERM / SIGINT: say not ready at once (`onStopping`: `/readyz` answers 503) while the listener
 * goes on answering for `drainDelayMs` (a load balancer or Kubernetes takes a few seconds to stop
 * routing here: refusing connections before then would fail its requests); meanwhile every answer
 * says `Connection: close`, so that clients reconnect where they are routed now. Then stop
 * accepting connections, let in-flight requests finish (or cut them at `timeoutMs`: a stream ends
 * with its `run.finished`, or with an `error` event), flush every span and metric
 * (`sdk.shutdown()`), and exit. `beforeExit` does not fire on signals, so this is the only place
 * where spans are saved. Further signals are ignored: the default handler would kill the process
 * and lose every span. The exit code is 0 only when every request finished and every span was
 * flushed, else 1.
 */
export function installGracefulShutdown(
  server: Server,
  {
    logger,
    release,
    onStopping,
    drainDelayMs = 0,
    timeoutMs = LIMITS.shutdownTimeoutMs,
  }: GracefulShutdownOptions,
): void {
  const connections = trackConnections(server);
  let exitsBy: Date | undefined;
  let toldAlready = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (exitsBy) {
      if (!toldAlready)
        logger.warn({ signal, exitsBy }, 'Shutdown already in progress; ignoring the signal');
      toldAlready = true;
      return;
    }
    const budgetMs = drainDelayMs + timeoutMs + FLUSH_GRACE_MS;
    exitsBy = new Date(Date.now() + budgetMs);
    onStopping?.();
    if (drainDelayMs > 0) connections.closeAfterAnswers();
    logger.info(
      { signal, exitsBy, drainDelayMs },
      'Shutting down: not ready; answering for the drain delay, then finishing in-flight requests',
    );
    // The whole sequence is bounded too: a collector that does not answer must not keep the
    // process alive until it is killed.
    const hardStop = setTimeout(() => {
      logger.error({ afterMs: budgetMs }, 'Shutdown did not finish in time; exiting');
      logger.flush?.();
      process.exit(1);
    }, budgetMs);
    hardStop.unref();
    if (drainDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, drainDelayMs));
    const finished = await drain(server, connections, timeoutMs, logger);
    await release?.().catch((error: unknown) =>
      logger.warn({ err: error }, 'Releasing resources failed'),
    );
    const flushed = await shutdownTracing();
    const exitCode = finished && flushed ? 0 : 1;
    logger.info({ exitCode, requestsFinished: finished, spansFlushed: flushed }, 'Stopped');
    logger.flush?.();
    process.exit(exitCode);
  };
  process.on('SIGTERM', (signal) => void stop(signal));
  process.on('SIGINT', (signal) => void stop(signal));
}
