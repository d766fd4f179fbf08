import type { WirePart, WireUsage } from './gemini-wire';

/**
 * What a test can make the emulator do instead of planning: the faults a real model endpoint has.
 */
export type ScriptedReply =
  /** A model turn with exactly these parts. */
  | {
      kind: 'turn';
      parts: WirePart[];
      finishReason?: string;
      usage?: Partial<WireUsage>;
      delayMs?: number;
      /** Streamed: the wait between two chunks. */
      chunkDelayMs?: number;
      /** Streamed: the connection is dropped after this many chunks, mid-stream. */
      failAfterChunks?: number;
    }
  /** A Google-style error body with this HTTP status (429, 503, 400, ...). */
  | {
      kind: 'error';
      status: number;
      message?: string;
      headers?: Record<string, string>;
      details?: unknown[];
      delayMs?: number;
    }
  /** Any body at all, e.g. a 200 that is not JSON. */
  | { kind: 'raw'; status?: number; body: string; contentType?: string; delayMs?: number }
  /** Answer nothing until the client gives up. */
  | { kind: 'hang' }
  /** Close the connection without answering: a network error for the client. */
  | { kind: 'drop' };
