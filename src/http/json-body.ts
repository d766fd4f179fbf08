import type { Request, RequestHandler } from 'express';
import { LIMITS } from '../limits';
import { HttpError, payloadTooLarge } from './errors';
import { inviteBody } from './expect-continue';

/**
 * JSON between systems is UTF-8 (RFC 8259); ASCII is a subset of it. Every other charset is
 * refused.
 */
const ACCEPTED_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

const unsupportedEncoding = (what: string) =>
  new HttpError(
    'unsupported_encoding',
    `${what} is not supported: send the body as uncompressed UTF-8 JSON.`,
  );

function hasBody(request: Request): boolean {
  return (
    request.headers['transfer-encoding'] !== undefined ||
    request.headers['content-length'] !== undefined
  );
}

function charsetOf(request: Request): string | undefined {
  return /;\s*charset\s*=\s*"?([^";\s]+)"?/i
    .exec(request.headers['content-type'] ?? '')?.[1]
    ?.toLowerCase();
}

/** Why the body will not be read at all, from the headers alone. */
function refusalOf(request: Request, limitBytes: number): HttpError | undefined {
  const charset = charsetOf(request);
  if (charset && !ACCEPTED_CHARSETS.has(charset))
    return unsupportedEncoding(`The charset ${charset}`);
  // A body over 64 kB gains nothing from compression, and a decompressor is a way to turn a small
  // body into a huge one: every Content-Encoding but identity is refused.
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity')
    return unsupportedEncoding(`The content encoding ${encoding}`);
  if (Number(request.headers['content-length']) > limitBytes) return payloadTooLarge(limitBytes);
  return undefined;
}

function parse(body: Buffer): unknown {
  if (body.length === 0) return {};
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new HttpError('invalid_json', 'The request body is not valid UTF-8.');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError('invalid_json', 'The request body is not valid JSON.');
  }
}

/** The body did not arrive in time: nothing more is read, and the connection is closed. */
const bodyTimedOut = (timeoutMs: number) =>
  new HttpError('client_timeout', `The request body did not arrive within ${timeoutMs / 1000} s.`, {
    Connection: 'close',
  });

export interface JsonBodyOptions {
  limitBytes: number;
  /** How long the whole body may take to arrive (tests shorten it). */
  timeoutMs?: number;
}

/**
 * Reads a JSON body into `request.body`, at most `limitBytes` of it, within `timeoutMs`. A body that
 * grows past the limit (a chunked one, whose size is not declared) is refused the moment it does,
 * and one still arriving at the deadline is refused then: nothing more read, and the connection
 * closed after the answer. A client that sent `Expect: 100-continue` is invited to send its body
 * here, once the middleware before (the key, the rate limit) and the headers have accepted it.
 * Bodies of other media types are left alone; the route says what it takes.
 */
export function jsonBody({
  limitBytes,
  timeoutMs = LIMITS.bodyTimeoutMs,
}: JsonBodyOptions): RequestHandler {
  return (request, response, next) => {
    if (!hasBody(request) || !request.is('application/json')) return next();
    const refusal = refusalOf(request, limitBytes);
    if (refusal) return next(refusal);

    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (error?: unknown) => {
      clearTimeout(deadline);
      request.off('data', onData).off('end', onEnd).off('close', onClose);
      next(error);
    };
    const stopReading = (error: HttpError) => {
      request.pause();
      finish(error);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limitBytes) return void chunks.push(chunk);
      stopReading(payloadTooLarge(limitBytes));
    };
    const onEnd = () => {
      try {
        request.body = parse(Buffer.concat(chunks));
        finish();
      } catch (error) {
        finish(error);
      }
    };
    const onClose = () =>
      finish(
        new HttpError('request_aborted', 'The client closed the request before the body was read.'),
      );
    const deadline = setTimeout(() => stopReading(bodyTimedOut(timeoutMs)), timeoutMs);
    request.on('data', onData).once('end', onEnd).once('close', onClose);
    inviteBody(response);
  };
}
