import pino from 'pino';
import { ModelError } from '../models/model-errors';
import { SubAgentError } from '../agent/sub-agent-client';
import { serverErrorLog } from './server-error-log';

function logOf() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { log: serverErrorLog(logger), lines };
}

describe('serverErrorLog', () => {
  it('logs a model that keeps failing once, and then each new kind of failure once', () => {
    const { log, lines } = logOf();
    const unreachable = new ModelError(
      'model_network_error',
      'The model API could not be reached.',
    );
    for (let run = 0; run < 50; run += 1) log(unreachable);
    log(new SubAgentError('subagent_unreachable', 'The sub-agent could not be reached.'));
    log(unreachable);

    expect(lines.map((line) => [line.level, line.msg, line.operation])).toEqual([
      [50, 'request failed', 'model_network_error'],
      [50, 'request failed', 'subagent_unreachable'],
    ]);
  });

  it('logs every bug, with its stack', () => {
    const { log, lines } = logOf();
    log(new TypeError('undefined is not a function'));
    log(new TypeError('undefined is not a function'));

    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 50,
      msg: 'request failed',
      err: expect.objectContaining({ stack: expect.stringContaining('TypeError') }),
    });
  });
});
