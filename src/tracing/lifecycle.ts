/**
 * The bridge between the register module (loaded with `--require`, before the app) and the
 * server's graceful shutdown: the server cannot import the SDK instance, so the register module
 * leaves its shutdown here.
 */
let shutdown: (() => Promise<void>) | undefined;

export function setTracingShutdown(handler: () => Promise<void>): void {
  shutdown = handler;
}

/** Flushes every finished span; a no-op when tracing is not loaded. Never throws. */
export async function shutdownTracing(): Promise<void> {
  const handler = shutdown;
  shutdown = undefined;
  try {
    await handler?.();
  } catch (error) {
    process.stderr.write(`Tracing shutdown failed: ${(error as Error).message}\n`);
  }
}
