import { DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { shortenLogLine, type LogFormat } from '../../short-log-lines';

/**
 * JSON until the preload has read `NODE_ENV` (a mistake in a variable is reported before that),
 * then as the service logs (src/short-log-lines.ts). A module-level setting, like the untraced
 * ports: the lines are written from anywhere in the SDK's setup.
 */
let format: LogFormat = 'json';

export function setLogLineFormat(chosen: LogFormat): void {
  format = chosen;
}

/**
 * The tracing pipeline's own log lines, on stderr, in the same shape as the service's pino logs.
 * It cannot use pino: the register module runs before the app and must not load it before the
 * pino instrumentation is in place.
 */
export function writeLogLine(
  level: 'warn' | 'info' | 'error',
  message: string,
  fields: Record<string, unknown> = {},
): void {
  const pinoLevel = { info: 30, warn: 40, error: 50 }[level];
  try {
    const line = JSON.stringify({
      level: pinoLevel,
      time: Date.now(),
      name: 'tracing',
      msg: message,
      ...fields,
    });
    process.stderr.write(`${format === 'short' ? shortenLogLine(line) : line}\n`);
  } catch {
    // Logging about telemetry must never break anything.
  }
}

/**
 * Lets each distinct message through at most once per interval, and says how many were held back:
 * an unreachable collector must not write a line per batch.
 */
export class RateLimitedLog {
  private static readonly MAX_KEYS = 200;
  private readonly lastWritten = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly intervalMs = 30_000,
    private readonly write: typeof writeLogLine = writeLogLine,
    private readonly now: () => number = Date.now,
  ) {}

  log(
    level: 'warn' | 'info' | 'error',
    rawKey: string,
    message: string,
    fields: Record<string, unknown> = {},
  ): void {
    // "Dropped 12 spans" and "Dropped 13 spans" are one message: numbers and ids do not make a new
    // key.
    const key = rawKey.replace(/[0-9a-f]{8,}|\d+/gi, '#').slice(0, 80);
    const entry = this.lastWritten.get(key);
    const now = this.now();
    if (entry && now - entry.at < this.intervalMs) {
      entry.suppressed += 1;
      return;
    }
    this.write(
      level,
      message,
      entry?.suppressed ? { ...fields, suppressed_since_last: entry.suppressed } : fields,
    );
    if (!entry && this.lastWritten.size >= RateLimitedLog.MAX_KEYS) this.lastWritten.clear();
    this.lastWritten.set(key, { at: now, suppressed: 0 });
  }
}

/**
 * OpenTelemetry's internal diagnostics (e.g. "Dropped N spans because maxQueueSize reached"),
 * rate-limited.
 */
export function createDiagLogger(log: RateLimitedLog): DiagLogger {
  const forward =
    (level: 'warn' | 'info' | 'error') =>
    (message: string, ...args: unknown[]) =>
      log.log(
        level,
        `diag:${message}`,
        message,
        args.length ? { details: args.map(String).join(' ').slice(0, 500) } : {},
      );
  const ignore = () => {};
  return {
    error: forward('error'),
    warn: forward('warn'),
    info: ignore,
    debug: ignore,
    verbose: ignore,
  };
}

export const DIAG_LOG_LEVEL = DiagLogLevel.WARN;
