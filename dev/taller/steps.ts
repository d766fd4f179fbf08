import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../process/spawn-service';
import { runServicesStep, type ServicesStepOptions, type StepContext } from './services-step';
import type { Variation } from './check/match-output';
import { runTailSamplingStep } from './tail-sampling-step';

export interface Step {
  /** What `npm run taller:<id>` runs. */
  id: string;
  run(context: StepContext): Promise<void>;
  /**
   * What differs from one run to the next (the traces a probabilistic sampler keeps, a measured
   * cost), with the bounds the guide's check accepts: the guide shows one real run.
   */
  varies?: readonly Variation[];
}

const INTRO_TASK = {
  task: 'Calculate 17 * 23 and search the knowledge base for context propagation',
  user_id: 'ana',
  session_id: 's1',
};
const DIVISION_BY_ZERO = { task: 'Calculate 1 / 0' };
const DELEGATION = { task: 'Delegate to the sub-agent: what is tail sampling?' };
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

const services = (id: string, options: ServicesStepOptions): Step => ({
  id,
  run: (context) => runServicesStep(options, context),
});

/** 100 traces at 10%: 10 expected, standard deviation 3; these bounds are 3 deviations away. */
const TEN_PERCENT_OF_100 = { pattern: /(\d+) trace trees?\b/, min: 1, max: 19 };

/** Every step the guide (docs/taller.md) runs, in its order. */
export const STEPS: readonly Step[] = [
  services('intro', { services: [{ kind: 'agent' }], requests: [{ body: INTRO_TASK }] }),
  services('agente', {
    services: [{ kind: 'agent', envFile: 'taller/agente.env' }],
    requests: [{ body: INTRO_TASK }],
  }),
  services('agente:limite', {
    services: [{ kind: 'agent' }],
    requests: [
      { body: { task: 'Calculate 17 * 23 and format the result as markdown', max_steps: 1 } },
    ],
  }),
  services('express', {
    services: [{ kind: 'subAgent' }, { kind: 'agent' }],
    requests: [
      {
        path: '/api/v1/agent/delegate',
        body: { task: 'Search the knowledge base for B3 headers' },
      },
    ],
  }),
  services('express:caido', {
    services: [{ kind: 'subAgent', stopBeforeRequests: true }, { kind: 'agent' }],
    requests: [
      {
        path: '/api/v1/agent/delegate',
        body: { task: 'Search the knowledge base for B3 headers' },
      },
    ],
  }),
  {
    ...services('1.1', {
      services: [{ kind: 'agent', envFile: 'taller/1.1.env' }],
      load: { body: { task: 'Calculate 1 + 1' }, connections: 4, requests: 100 },
      console: 'summary',
    }),
    varies: [TEN_PERCENT_OF_100],
  },
  {
    ...services('1.1:mitad', {
      services: [{ kind: 'agent', envFile: 'taller/1.1-mitad.env' }],
      load: { body: { task: 'Calculate 1 + 1' }, connections: 4, requests: 100 },
      console: 'summary',
    }),
    // 100 traces at 50%: standard deviation 5; 3 deviations either side.
    varies: [{ pattern: /(\d+) trace trees?\b/, min: 35, max: 65 }],
  },
  {
    id: '1.2',
    run: runTailSamplingStep,
    // 40 traces at 10%: 4 expected, standard deviation 1.9; 4 deviations above, and none at all.
    varies: [
      { pattern: /^\d+ traces decided, (\d+) kept/, min: 10, max: 22 },
      { pattern: /^ {2}the rest: +(\d+) of 40 kept/, min: 0, max: 12 },
      { pattern: /keep-a-share-of-the-rest: (\d+)/, min: 0, max: 12 },
    ],
  },
  {
    ...services('1.3', {
      services: [{ kind: 'agent', envFile: 'taller/1.3.env' }],
      load: { body: { task: 'Calculate 1 + 1' }, connections: 4, seconds: 10 },
      console: 'summary',
    }),
    // About 2 a second for 10 s, and every trace of the first moments before the rate is measured;
    // fewer on a machine too slow to send more than the target.
    varies: [
      { pattern: /^← (\d+) answered 200 in/, min: 20, max: 100_000 },
      { pattern: /(\d+) trace trees?\b/, min: 5, max: 60 },
    ],
  },
  {
    ...services('1.3:atributos', {
      services: [{ kind: 'agent', envFile: 'taller/1.3-atributos.env' }],
      load: { body: { task: 'Calculate 1 + 1' }, connections: 4, seconds: 10 },
      console: 'summary',
      listAttribute: 'sampling.probability',
    }),
    varies: [
      { pattern: /^← (\d+) answered 200 in/, min: 20, max: 100_000 },
      { pattern: /(\d+) trace trees?\b/, min: 5, max: 60 },
      { pattern: /of the (\d+) roots/, min: 5, max: 60 },
      // Starts at 1, then lower once the sampler has measured the load.
      { pattern: /roots, in order: 1 (.*)$/ },
    ],
  },
  {
    id: '1.3:coste',
    async run({ print }) {
      const script = path.join(ROOT, 'dist-dev', 'dev', 'bench', 'sampler-cost.js');
      print(execFileSync(process.execPath, [script], { encoding: 'utf8' }).trimEnd());
    },
    // The sampler keeps about 10 a second of a million decisions made in a fraction of a second;
    // the nanoseconds depend on the machine.
    varies: [
      { pattern: /"sampled":(\d+)/, min: 1, max: 5_000 },
      { pattern: /"nanosecondsPerDecision":(\d+)/, min: 1, max: 10_000 },
    ],
  },
  services('2.1', {
    services: [{ kind: 'agent', envFile: 'taller/2.1.env' }],
    requests: [{ body: DIVISION_BY_ZERO }],
  }),
  services('2.1:umbral', {
    services: [{ kind: 'agent', envFile: 'taller/2.1-umbral.env' }],
    requests: [{ body: DIVISION_BY_ZERO }],
  }),
  services('2.3', {
    services: [{ kind: 'agent', envFile: 'taller/agente.env' }],
    requests: [
      {
        body: { task: 'Calculate 2 + 2', user_id: 'ana' },
        headers: { 'X-Correlation-Id': 'taller-42' },
      },
    ],
    showHeaders: ['X-Trace-Id', 'X-Correlation-Id'],
  }),
  services('2.3:invalido', {
    services: [{ kind: 'agent', envFile: 'taller/agente.env' }],
    requests: [
      {
        body: { task: 'Calculate 2 + 2', user_id: 'ana' },
        headers: { 'X-Correlation-Id': 'taller 42' },
      },
    ],
    showHeaders: ['X-Trace-Id', 'X-Correlation-Id'],
  }),
  services('3.1', {
    services: [{ kind: 'subAgent' }, { kind: 'agent' }],
    requests: [{ body: DELEGATION }],
  }),
  services('3.1:w3c', {
    services: [{ kind: 'subAgent' }, { kind: 'agent', envFile: 'taller/3.1-w3c.env' }],
    requests: [{ body: DELEGATION }],
  }),
  services('3.2', {
    services: [{ kind: 'tools' }, { kind: 'agent' }],
    requests: [{ body: { task: 'Convert 100 km to mi' } }],
  }),
  services('3.2:caido', {
    services: [{ kind: 'tools', stopBeforeRequests: true }, { kind: 'agent' }],
    requests: [{ body: { task: 'Convert 5 kg to lb' } }],
  }),
  services('3.3', {
    services: [{ kind: 'agent' }],
    requests: [
      { body: { task: 'Calculate 2 + 2' }, headers: { traceparent: TRACEPARENT } },
      {
        body: { task: 'Calculate 2 + 2' },
        headers: {
          'X-B3-TraceId': '80f198ee56343ba864fe8b2a57d3eff7',
          'X-B3-SpanId': 'e457b5a2e4d86bd1',
          'X-B3-Sampled': '1',
        },
      },
    ],
  }),
  services('3.3:internal', {
    services: [{ kind: 'agent', envFile: 'taller/3.3-internal.env' }],
    requests: [{ body: { task: 'Calculate 2 + 2' }, headers: { traceparent: TRACEPARENT } }],
  }),
];

export function stepById(id: string): Step | undefined {
  return STEPS.find((step) => step.id === id);
}
