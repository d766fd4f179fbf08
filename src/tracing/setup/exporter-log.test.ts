import { RateLimitedLog } from './exporter-log';

describe('RateLimitedLog', () => {
  function setup() {
    const lines: [string, string, Record<string, unknown>][] = [];
    let now = 0;
    const log = new RateLimitedLog(
      30_000,
      (level, message, fields = {}) => void lines.push([level, message, fields]),
      () => now,
    );
    return { lines, log, advance: (ms: number) => (now += ms) };
  }

  it('writes a message once per interval and says how many were held back', () => {
    const { lines, log, advance } = setup();
    for (let index = 0; index < 5; index += 1)
      log.log('warn', 'export-failed', 'Span export is failing');
    advance(30_000);
    log.log('warn', 'export-failed', 'Span export is failing');
    expect(lines).toEqual([
      ['warn', 'Span export is failing', {}],
      ['warn', 'Span export is failing', { suppressed_since_last: 4 }],
    ]);
  });

  it('takes messages that differ only by numbers or ids for the same message', () => {
    const { lines, log } = setup();
    log.log(
      'warn',
      'diag:Dropped 12 spans because maxQueueSize reached',
      'Dropped 12 spans because maxQueueSize reached',
    );
    log.log(
      'warn',
      'diag:Dropped 13 spans because maxQueueSize reached',
      'Dropped 13 spans because maxQueueSize reached',
    );
    log.log('warn', 'diag:span 4bf92f3577b34da6 ended twice', 'span 4bf92f3577b34da6 ended twice');
    log.log('warn', 'diag:span 00f067aa0ba902b7 ended twice', 'span 00f067aa0ba902b7 ended twice');
    expect(lines.map(([, message]) => message)).toEqual([
      'Dropped 12 spans because maxQueueSize reached',
      'span 4bf92f3577b34da6 ended twice',
    ]);
  });

  it('keeps the table of messages bounded', () => {
    const { lines, log } = setup();
    for (let index = 0; index < 1_000; index += 1)
      log.log(
        'warn',
        `distinct message ${'x'.repeat(index % 60)}${String.fromCharCode(97 + (index % 20))}`,
        'm',
      );
    log.log('warn', 'distinct message a', 'm');
    expect(lines.length).toBeGreaterThan(0);
    expect(
      (log as unknown as { lastWritten: Map<string, unknown> }).lastWritten.size,
    ).toBeLessThanOrEqual(200);
  });
});
