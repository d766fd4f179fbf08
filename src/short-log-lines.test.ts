import pino from 'pino';
import { logFormatFor, shortenLogLine, shortLineDestination, toShortLine } from './short-log-lines';

/** 17:02:11 local time, so the clock reads the same in every time zone. */
const TIME = new Date(2026, 11, 7, 17, 2, 11).getTime();

describe('short log lines (the development console)', () => {
  it("writes pino-http's request line as method, path, status and time, with its trace id", () => {
    const line = toShortLine({
      level: 30,
      time: TIME,
      pid: 1,
      hostname: 'vm',
      name: 'agent-service',
      req: { method: 'POST', url: '/api/v1/agent/execute' },
      res: { statusCode: 200 },
      responseTime: 205,
      trace_id: '152958414b080c50288c9832438648d4',
      span_id: '023adf9c11c098df',
      trace_flags: '01',
      msg: 'request completed',
    });
    expect(line).toBe(
      '17:02:11 INFO  POST /api/v1/agent/execute 200 205 ms trace_id=152958414b080c50288c9832438648d4',
    );
  });

  it('says a request got no answer when its client went away first', () => {
    const line = toShortLine({
      level: 30,
      time: TIME,
      req: { method: 'POST', url: '/api/v1/agent/execute' },
      res: { statusCode: null },
      responseTime: 5,
      msg: 'request aborted',
    });
    expect(line).toBe('17:02:11 INFO  POST /api/v1/agent/execute (request aborted) 5 ms');
  });

  it('writes any other line as its message and fields, quoting values with spaces', () => {
    const line = toShortLine({
      level: 30,
      time: TIME,
      url: 'http://0.0.0.0:8080',
      offline: true,
      tools: ['convert_units', 'statistics'],
      sampler: 'parentbased_always_on (default)',
      msg: 'agent-service listening',
    });
    expect(line).toBe(
      '17:02:11 INFO  agent-service listening url=http://0.0.0.0:8080 offline=true tools=["convert_units","statistics"] sampler="parentbased_always_on (default)"',
    );
  });

  it("names a warning's level and cuts a long value", () => {
    const line = toShortLine({ level: 40, time: TIME, msg: 'slow', details: 'x'.repeat(500) });
    expect(line).toMatch(/^17:02:11 WARN {2}slow details=x+…$/);
    expect(line.length).toBeLessThan(150);
  });

  it("puts an error's type and message on the line, and its stack under it at error level", () => {
    const err = {
      type: 'TypeError',
      message: 'boom',
      stack: 'TypeError: boom\n    at run (a.js:1:2)',
    };
    expect(toShortLine({ level: 50, time: TIME, msg: 'request failed', err })).toBe(
      '17:02:11 ERROR request failed error="TypeError: boom"\n    at run (a.js:1:2)',
    );
    expect(toShortLine({ level: 30, time: TIME, msg: 'retrying', err })).toBe(
      '17:02:11 INFO  retrying error="TypeError: boom"',
    );
  });

  it('shows where an error was thrown and its causes, not the whole stack', () => {
    const stack = [
      'SubAgentError: unreachable',
      '    at transportError (client.js:1:1)',
      '    at call (client.js:2:2)',
      '    at execute (client.js:3:3)',
      '    at route (delegate.js:4:4)',
      '    caused by: TypeError: fetch failed',
      '    caused by: Error: connect ECONNREFUSED 127.0.0.1:8081',
      '    at afterConnect (node:net:1:1)',
    ].join('\n');
    const err = { type: 'SubAgentError', message: 'unreachable', stack };
    expect(toShortLine({ level: 50, time: TIME, msg: 'request failed', err }).split('\n')).toEqual([
      '17:02:11 ERROR request failed error="SubAgentError: unreachable"',
      '    at transportError (client.js:1:1)',
      '    at call (client.js:2:2)',
      '    caused by: TypeError: fetch failed',
      '    caused by: Error: connect ECONNREFUSED 127.0.0.1:8081',
      '    … 3 more (whole in the JSON logs, outside development)',
    ]);
  });

  it('passes a line that is not a JSON object through unchanged', () => {
    expect(shortenLogLine('Trace 04d631ef1edbccc5d9bc37871c7acbb6')).toBe(
      'Trace 04d631ef1edbccc5d9bc37871c7acbb6',
    );
    expect(shortenLogLine('[1,2]')).toBe('[1,2]');
  });

  it('is where pino writes in development: one short line per record, in order', () => {
    const written: string[] = [];
    const logger = pino(
      { base: undefined },
      shortLineDestination((text) => written.push(text)),
    );
    logger.info({ url: 'http://127.0.0.1:1' }, 'listening');
    logger.warn('careful');
    expect(written.join('')).toMatch(
      /^\d\d:\d\d:\d\d INFO {2}listening url=http:\/\/127\.0\.0\.1:1\n\d\d:\d\d:\d\d WARN {2}careful\n$/,
    );
  });

  it("writes a request's line one turn later, after the tree its server span prints on close", async () => {
    const written: string[] = [];
    const destination = shortLineDestination((text) => written.push(text));
    const logger = pino({ base: undefined }, destination);
    logger.info(
      { req: { method: 'GET', url: '/x' }, res: { statusCode: 200 } },
      'request completed',
    );
    logger.info('a line of the service');
    written.push('Trace 04d631ef1edbccc5d9bc37871c7acbb6\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(written.map((text) => text.replace(/^\d\d:\d\d:\d\d /, ''))).toEqual([
      'INFO  a line of the service\n',
      'Trace 04d631ef1edbccc5d9bc37871c7acbb6\n',
      'INFO  GET /x 200\n',
    ]);
  });

  it('is chosen for development only: production, tests and any other environment log JSON', () => {
    expect(logFormatFor('development')).toBe('short');
    expect(['production', 'test', 'staging'].map(logFormatFor)).toEqual(['json', 'json', 'json']);
  });
});
