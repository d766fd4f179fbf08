import path from 'node:path';
import { startOtlpReceiver } from '../otlp/receiver';
import { readTailSampling } from '../otlp/tail-sampling/collector-policies';
import type { PolicyConfig } from '../otlp/tail-sampling/policies';
import { TailSampler } from '../otlp/tail-sampling/tail-sampler';
import { ROOT } from '../process/spawn-service';
import { send } from './answers';
import type { StepContext } from './services-step';
import { describeService, startWorkshopService, type WorkshopService } from './workshop-services';

/** The collector configuration of docker-compose.tracing.yml's `collector` profile. */
const COLLECTOR_CONFIG = 'otel-collector-config.yaml';

/** The three kinds of trace the exercise sends, each with its task and how many. */
const KINDS = [
  { kind: 'with an error', task: 'Calculate 1 / 0', count: 5 },
  {
    kind: 'slow (the sub-agent takes 2 s a reply)',
    task: 'Delegate to the sub-agent: what is tail sampling?',
    count: 5,
  },
  { kind: 'the rest', task: 'Calculate 1 + 1', count: 40 },
] as const;

/** Requests in flight at once: enough to be quick, few enough that a fast trace stays fast. */
const CONCURRENCY = 4;

function describePolicy(policy: PolicyConfig): string {
  switch (policy.type) {
    case 'status_code':
      return `${policy.name} (status_code ${policy.statusCodes.join(', ')})`;
    case 'latency':
      return `${policy.name} (latency ≥ ${policy.thresholdMs} ms${policy.upperThresholdMs ? `, ≤ ${policy.upperThresholdMs} ms` : ''})`;
    case 'probabilistic':
      return `${policy.name} (probabilistic ${policy.samplingPercentage}%)`;
  }
}

async function sendAll(agent: WorkshopService, tasks: readonly { kind: string; task: string }[]) {
  const traces: { kind: string; traceId: string }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const { kind, task } = tasks[next++]!;
      const answer = await send(agent.url, { body: { task } });
      traces.push({ kind, traceId: String(answer.body.trace_id) });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return traces;
}

/**
 * Exercise 1.2 without Docker: the services sample everything and send it over OTLP to a local
 * receiver that decides as the collector would, with the collector's own policies (read from its
 * configuration), on whole traces, a decision wait after each trace's first span.
 */
export async function runTailSamplingStep({ print }: StepContext): Promise<void> {
  const config = readTailSampling(path.join(ROOT, COLLECTOR_CONFIG));
  print(`Tail sampling as ${COLLECTOR_CONFIG} configures it, applied by a local OTLP receiver:`);
  print(
    `  decision_wait ${config.decisionWaitMs / 1000} s; a trace is kept when any policy keeps it:`,
  );
  for (const policy of config.policies) print(`  - ${describePolicy(policy)}`);
  const tail = new TailSampler(config);
  const receiver = await startOtlpReceiver({
    keepSpans: false,
    onSpans: (spans) => tail.add(spans),
  });
  const started: WorkshopService[] = [];
  try {
    const exportTo = {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    };
    const subAgent = await startWorkshopService({
      kind: 'subAgent',
      envFile: 'taller/1.2-subagente.env',
      wiring: exportTo,
    });
    started.push(subAgent);
    const agent = await startWorkshopService({
      kind: 'agent',
      wiring: { ...exportTo, SUB_AGENT_URL: subAgent.url },
    });
    started.push(agent);
    for (const service of started)
      print(`${describeService(service)} on ${service.url}, every trace to ${receiver.endpoint}`);
    print();
    const tasks = KINDS.flatMap(({ kind, task, count }) =>
      Array.from({ length: count }, () => ({ kind, task })),
    );
    for (const { task, count } of KINDS)
      print(`→ ${count} × POST /api/v1/agent/execute {"task":"${task}"}`);
    const traces = await sendAll(agent, tasks);
    print(
      `Waiting for the decisions: ${config.decisionWaitMs / 1000} s after each trace's first span…`,
    );
    await tail.whenDecided(traces.map((trace) => trace.traceId));
    const keptBy = new Map(tail.decisions.map((decision) => [decision.traceId, decision.keptBy]));
    const kept = traces.filter((trace) => keptBy.get(trace.traceId));
    print();
    print(`${traces.length} traces decided, ${kept.length} kept:`);
    for (const { kind, count } of KINDS) {
      const keptOfKind = traces.filter((trace) => trace.kind === kind && keptBy.get(trace.traceId));
      print(`  ${`${kind}:`.padEnd(42)} ${keptOfKind.length} of ${count} kept`);
    }
    const byPolicy = config.policies.map(
      ({ name }) => `${name}: ${kept.filter((trace) => keptBy.get(trace.traceId) === name).length}`,
    );
    print(`kept by ${byPolicy.join(', ')}`);
  } finally {
    for (const service of started.reverse()) await service.process.stop('SIGTERM');
    tail.stop();
    await receiver.stop();
  }
}
