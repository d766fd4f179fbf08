/**
 * The development console's log lines: one short line a person can read beside the trace trees,
 * in place of pino's JSON (about 1.5 kB for a request). Production keeps the JSON (logger.ts).
 *
 *   17:02:11 INFO  POST /api/v1/agent/execute 200 205 ms trace_id=1529584…
 *   17:02:06 WARN  AGENT_API_KEYS is not set: the API is open to anyone who can reach it
 */

/** JSON for programs (production, tests, log shippers); short lines for a person (development). */
export type LogFormat = 'json' | 'short';

/**
 * The console a person reads is the development one (`NODE_ENV` unset or `development`): short
 * lines beside the trace trees. Any other environment, production first, logs JSON.
 */
export const logFormatFor = (environment: string): LogFormat =>
  environment === 'development' ? 'short' : 'json';

const LEVEL_NAMES: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** Said by the line's own words, or not worth a reader's eye beside the trees. */
const UNSHOWN_FIELDS = new Set([
  'level',
  'time',
  'pid',
  'hostname',
  'name',
  'msg',
  'span_id',
  'trace_flags',
  'req',
  'res',
  'responseTime',
  'err',
]);

/** Longest value shown for one field: a long one (a tool list, a URL) is cut, not wrapped. */
const MAX_VALUE_CHARS = 120;

interface LogRecord {
  level?: number;
  time?: number;
  msg?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number | null };
  responseTime?: number;
  err?: { type?: string; message?: string; stack?: string };
  [field: string]: unknown;
}

const twoDigits = (value: number) => String(value).padStart(2, '0');

function clock(time: number | undefined): string {
  const date = new Date(time ?? Date.now());
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map(twoDigits).join(':');
}

function formatValue(value: unknown): string {
  const text =
    typeof value === 'string'
      ? /^[^\s"=]+$/.test(value)
        ? value
        : JSON.stringify(value)
      : String(JSON.stringify(value));
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** pino-http's line of a finished request: method, path, status and time say it all. */
function describeRequest(record: LogRecord): string | undefined {
  const { req, res, responseTime } = record;
  if (!req?.method || !res) return undefined;
  const time = typeof responseTime === 'number' ? ` ${responseTime} ms` : '';
  // No status: the client went away before the answer (pino-http says "request aborted").
  const status =
    typeof res.statusCode === 'number' ? res.statusCode : `(${record.msg ?? 'no answer'})`;
  return `${req.method} ${req.url ?? ''} ${status}${time}`;
}

/** Stack lines shown under an error: where it was thrown, and each cause (the causes say why). */
const MAX_STACK_LINES = 4;

function stackLines({ level, err }: LogRecord): string[] {
  if ((level ?? 0) < 50 || !err?.stack) return [];
  const frames = err.stack
    .split('\n')
    .slice(1)
    .map((frame) => frame.trim());
  const shown = frames
    .filter((frame, index) => index < 2 || frame.startsWith('caused by'))
    .slice(0, MAX_STACK_LINES);
  const more = frames.length - shown.length;
  return [
    ...shown,
    ...(more > 0 ? [`… ${more} more (whole in the JSON logs, outside development)`] : []),
  ].map((frame) => `    ${frame}`);
}

/** One pino record (a parsed JSON line) as one short line; at error level, a short stack. */
export function toShortLine(record: LogRecord): string {
  const level = (LEVEL_NAMES[record.level ?? 30] ?? 'INFO').padEnd(5);
  const what = describeRequest(record) ?? record.msg ?? '';
  const fields = Object.entries(record)
    .filter(([name, value]) => !UNSHOWN_FIELDS.has(name) && value !== undefined)
    .map(([name, value]) => `${name}=${formatValue(value)}`);
  const { err } = record;
  if (err?.message) fields.push(`error=${formatValue(`${err.type ?? 'Error'}: ${err.message}`)}`);
  const line = [`${clock(record.time)} ${level}`, what, ...fields].join(' ').trimEnd();
  return [line, ...stackLines(record)].join('\n');
}

/** A JSON line as pino writes it, as a short line; anything else passes through unchanged. */
export function shortenLogLine(line: string): string {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return line;
  }
  return record && typeof record === 'object' && !Array.isArray(record)
    ? toShortLine(record as LogRecord)
    : line;
}

/** pino-http's line of a finished request (the only records with both `req` and `res`). */
const isRequestLine = (line: string) => line.includes('"req":{') && line.includes('"res":{');

/**
 * A destination for pino that writes each JSON line it is given as a short line, synchronously like
 * pino's own destination for stdout, except a request's line: the server span ends on the
 * response's `close`, a tick after pino-http logs on its `finish`, so that line waits one turn of
 * the event loop and follows the tree of its trace instead of preceding it.
 */
export function shortLineDestination(
  write: (text: string) => void = (text) => void process.stdout.write(text),
) {
  return {
    write(chunk: string): void {
      for (const line of chunk.split('\n')) {
        if (line === '') continue;
        const short = `${shortenLogLine(line)}\n`;
        if (isRequestLine(line)) setImmediate(() => write(short));
        else write(short);
      }
    },
  };
}
