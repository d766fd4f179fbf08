import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { LIMITS } from '../limits';
import { shutdownTracing } from '../tracing/lifecycle';
import { answerClientError } from './client-errors';
import { guardConnections, type ConnectionGuardOptions } from './connection-guard';

/** Serves `app` behind the connection guard (src/http/connection-guard.ts); Node's own errors answered as JSON. */
export async function listen(
  app: Express,
  port: number,
  host: string,
  guard: ConnectionGuardOptions = { maxRequestsPerConnection: LIMITS.maxRequestsPerConnection, maxBodyBytes: LIMITS.maxBodyBytes },
): Promise<Server> {
  const server = createServer(guardConnections(app, guard)).on('clientError', answerClientError);
  return new Promise((resolve, reject) => {
    server.once('error', reject).listen(port, host, () => resolve(server.off('error', reject)));
  });
}

export function urlOf(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${port}`;
}

export interface GracefulShutdownOptions {
  logger: Logger;
  /** Releases what the service holds (the emulator, ...) once no request is in flight. */
  release?: () => Promise<void>;
  /** Called first, so health checks report the service as going away. */
  onStopping?: () => void;
  /** After this long, in-flight requests are abandoned and the process exits anyway. */
  timeoutMs?: number;
}

/**
 * SIGTERM / SIGINT: stop accepting connections, let in-flight requests finish, flush every
 * finished span (`sdk.shutdown()`), exit 0. `beforeExit` does not fire on signals, so this is the
 * only place where spans are saved.
 */
/** Time left, after in-flight requests, to flush spans and release resources. */
export const FLUSH_GRACE_MS = 5_000;

export function installGracefulShutdown(
  server: Server,
  { logger, release, onStopping, timeoutMs = LIMITS.shutdownTimeoutMs }: GracefulShutdownOptions,
): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    onStopping?.();
    logger.info({ signal }, 'Shutting down: finishing in-flight requests');
    const deadline = setTimeout(() => {
      logger.warn('Shutdown deadline reached; closing open connections');
      server.closeAllConnections();
    }, timeoutMs);
    deadline.unref();
    // The whole sequence is bounded too: a collector that does not answer must not keep the
    // process alive until it is killed. Exit 1 says that some spans may not have been flushed.
    const hardStop = setTimeout(() => {
      logger.error({ afterMs: timeoutMs + FLUSH_GRACE_MS }, 'Shutdown did not finish in time; exiting');
      logger.flush?.();
      process.exit(1);
    }, timeoutMs + FLUSH_GRACE_MS);
    hardStop.unref();
    // Keep-alive connections become idle as their last request finishes: close them as they do.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearInterval(sweep);
    clearTimeout(deadline);
    await release?.().catch((error: unknown) => logger.warn({ err: error }, 'Releasing resources failed'));
    await shutdownTracing();
    logger.info('Stopped');
    logger.flush?.();
    process.exit(0);
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
}
