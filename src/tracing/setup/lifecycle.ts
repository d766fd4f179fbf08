/**
 * The bridge between the register module (loaded with `--require`, before the app) and the
 * server's graceful shutdown: the server cannot import the SDK instance, so the register module
 * leaves its shutdown here.
 */
let shutdown: (() => Promise<void>) | undefined;

export function setTracingShutdown(handler: () => Promise<void>): void {
  shutdown = handler;
}

/**
 * Flushes every finished span; a no-op when tracing is not loaded. Never throws: resolves false
 * when the flush failed (the exporter refused a batch or timed out), so the exit code can say so.
 */
export async function shutdownTracing(): Promise<boolean> {
  const handler = shutdown;
  shutdown = undefined;
  try {
    await handler?.();
    return true;
  } catch (error) {
    // The SDK rejects with one error, or with an array of them (one per span processor).
    const message = [error]
      .flat()
      .map((each) => (each instanceof Error ? each.message : String(each)));
    process.stderr.write(`Tracing shutdown failed: ${message.join('; ')}\n`);
    return false;
  }
}
