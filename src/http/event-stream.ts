import type { Response } from 'express';

/**
 * JSON with U+2028 and U+2029 escaped, as the same JSON means: `JSON.stringify` leaves them raw, and
 * though an event stream's lines end only at CR and LF, many readers end them there too (Python's
 * `splitlines()`, a `.` in a regular expression), in the middle of an event.
 */
const lineSafeJson = (data: unknown): string =>
  JSON.stringify(data).replace(/[\u2028\u2029]/g, (separator) =>
    separator === '\u2028' ? '\\u2028' : '\\u2029',
  );

/**
 * Server-sent events on one response: each event named, its data JSON, its sequence number (1, 2,
 * ...) in the `id` field, where `EventSource` exposes it as `lastEventId`, so that `data` stays
 * exactly what the event carries. A comment line every `heartbeatMs` keeps proxies and load
 * balancers from closing a stream that is quiet while a tool or the model works.
 */
export class EventStream<Events extends Record<string, unknown>> {
  private sequence = 0;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly response: Response,
    heartbeatMs: number,
  ) {
    response.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      // Proxies must pass each event on as it comes: no caching, no buffering (nginx reads
      // X-Accel-Buffering).
      'Cache-Control': 'no-cache',
      'X-Accel-Buffering': 'no',
    });
    response.flushHeaders();
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), heartbeatMs);
    response.once('close', () => clearInterval(this.heartbeat));
  }

  send<Name extends keyof Events & string>(event: Name, data: Events[Name]): void {
    this.sequence += 1;
    this.write(`event: ${event}\nid: ${this.sequence}\ndata: ${lineSafeJson(data)}\n\n`);
  }

  end(): void {
    clearInterval(this.heartbeat);
    if (!this.response.writableEnded) this.response.end();
  }

  /** Nothing is written once the client has gone: the run is being cancelled. */
  private write(text: string): void {
    if (!this.response.writableEnded && !this.response.destroyed) this.response.write(text);
  }
}
