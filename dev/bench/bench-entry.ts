import path from 'node:path';
import { stopAllServices } from '../process/spawn-service';

/** The line a benchmark ends with: its summary, and where the report went. */
export function reportWritten(summary: string, out: string): void {
  process.stdout.write(
    `${summary}\nReport written to ${path.relative(process.cwd(), out) || out}\n`,
  );
}

/** Runs a benchmark's `main`; on failure, says why, stops every service it started, exits 1. */
export function runBenchmark(main: () => Promise<void>): void {
  main().catch(async (error: unknown) => {
    process.stderr.write(
      `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    await stopAllServices();
    process.exit(1);
  });
}
