import { REDACTED } from './sanitize';

/**
 * Shorter values are not scrubbed: they would match ordinary text and garble every log line. A key
 * that short is too weak to keep anyway.
 */
const MIN_SCRUBBED_SECRET_LENGTH = 8;

/**
 * Removes the configured secrets, verbatim, from any text: the last line of defence for what
 * patterns cannot recognise, such as an upstream error message that echoes our key.
 */
export class KnownSecrets {
  private readonly needles: string[];
  /** A text shorter than every secret holds none: most attribute values, checked at once. */
  private readonly shortest: number;

  constructor(secrets: readonly string[]) {
    const long = secrets.filter((secret) => secret.length >= MIN_SCRUBBED_SECRET_LENGTH);
    // In a JSON log line a secret with quotes, backslashes or control characters appears escaped.
    const escaped = long.map((secret) => JSON.stringify(secret).slice(1, -1));
    // Longest first, so that a secret containing another is removed whole.
    this.needles = [...new Set([...long, ...escaped])].sort((a, b) => b.length - a.length);
    this.shortest = this.needles.at(-1)?.length ?? Number.POSITIVE_INFINITY;
  }

  get isEmpty(): boolean {
    return this.needles.length === 0;
  }

  readonly scrub = (text: string): string => {
    if (text.length < this.shortest) return text;
    let scrubbed = text;
    for (const needle of this.needles)
      if (scrubbed.includes(needle)) scrubbed = scrubbed.split(needle).join(REDACTED);
    return scrubbed;
  };
}
