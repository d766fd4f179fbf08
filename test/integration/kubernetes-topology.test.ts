import { stringify } from 'yaml';
import type { CollectorConfig } from '../../dev/collector/collector-config';
import { startFrontTier, type FrontTier } from '../../dev/collector/front-tier';
import type { ReceivedSpan } from '../../dev/otlp/decode';
import { startOtlpReceiver, type OtlpReceiver } from '../../dev/otlp/receiver';
import {
  parseTailSampling,
  type TailSamplingConfig,
} from '../../dev/otlp/tail-sampling/collector-policies';
import { createPolicy } from '../../dev/otlp/tail-sampling/policies';
import { TailSampler } from '../../dev/otlp/tail-sampling/tail-sampler';
import { collectorConfig, type Workload } from '../support/kubernetes-objects';
import { findObject, kustomizeComponent, renderOverlay } from '../support/kustomize';
import { describeWithComponent } from '../support/needs-component';
import { spawnService, stopAllServices, type SpawnedService } from '../support/spawn-service';
import { until } from '../support/until';

/**
 * The production overlay's two-tier collector, run as local processes: no collector binary can be
 * had here, so the routing rule is reproduced (dev/collector/: the loadbalancing exporter's hash
 * ring, ported with contrib's own test vectors) and the tail tier's policies are applied by the
 * local tail sampler (dev/otlp/tail-sampling/), both configured from the rendered ConfigMaps.
 * Three agent replicas behind a round-robin and the sub-agent and tool service send their spans to
 * two front-tier collectors, so that most traces arrive through both; the front tier routes them
 * by trace id to two tail-tier collectors, which decide on each trace a decision wait after its
 * first span.
 */
const FRONT_TIERS = 2;
const TAIL_TIERS = 2;
const AGENTS = 3;
const REQUESTS = 200;
const CONCURRENCY = 16;

/** The request mix: a tool, an MCP tool (tool service), a delegation (sub-agent), a failing tool. */
const TASKS = [
  'Calculate 2 + 2',
  'Convert 100 km to mi',
  'Delegate to the sub-agent: search the knowledge base for B3 headers',
  'compute 1 / 0',
];
const [TOOL, MCP_TOOL, DELEGATION, FAILING_TOOL] = TASKS as [string, string, string, string];
/** The sub-agent's planned replies each take this long, so that a delegated trace is slow. */
const SUB_AGENT_LATENCY_MS = 1_100;

interface TailTier {
  backend: string;
  receiver: OtlpReceiver;
  sampler: TailSampler;
}

const tracingEnv = (endpoint: string) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
  OTEL_TRACES_SAMPLER: 'parentbased_always_on',
  OTEL_BSP_SCHEDULE_DELAY: '50',
});

/** Every span each trace has, from what the front tier received (every span the services sent). */
function tracesOf(batches: Iterable<readonly ReceivedSpan[]>): Map<string, ReceivedSpan[]> {
  const traces = new Map<string, ReceivedSpan[]>();
  for (const batch of batches)
    for (const span of batch) traces.set(span.traceId, [...(traces.get(span.traceId) ?? []), span]);
  return traces;
}

const spanIds = (spans: readonly ReceivedSpan[]) => spans.map(({ spanId }) => spanId).sort();

describeWithComponent(
  'a trace through the production overlay’s two-tier collector, as local processes',
  kustomizeComponent(),
  () => {
    const objects = renderOverlay('production');
    const front = collectorConfig(
      objects,
      findObject<Workload>(objects, 'Deployment', 'otel-collector'),
    ) as CollectorConfig & { exporters: { loadbalancing: { routing_key: string } } };
    const tailConfig: TailSamplingConfig = parseTailSampling(
      stringify(
        collectorConfig(
          objects,
          findObject<Workload>(objects, 'StatefulSet', 'otel-collector-tail'),
        ),
      ),
      'the tail tier’s rendered configuration',
    );
    let tails: TailTier[] = [];
    let fronts: FrontTier[] = [];
    /** The trace id of every answered request, by its task. */
    const answered: string[] = [];
    const taskOf = new Map<string, string>();

    beforeAll(async () => {
      expect(front.exporters.loadbalancing.routing_key).toBe('traceID');
      tails = await Promise.all(
        Array.from({ length: TAIL_TIERS }, async () => {
          const sampler = new TailSampler(tailConfig);
          const receiver = await startOtlpReceiver({
            keepSpans: false,
            onSpans: (spans) => sampler.add(spans),
          });
          return { backend: `127.0.0.1:${receiver.port}`, receiver, sampler };
        }),
      );
      fronts = await Promise.all(
        Array.from({ length: FRONT_TIERS }, () =>
          startFrontTier({ backends: tails.map(({ backend }) => backend) }),
        ),
      );
      // Each service sends to another front pod than the agent may: a trace's spans take both.
      const [tools, subAgent] = await Promise.all([
        spawnService({
          entry: 'dist/toolservice/server.js',
          register: 'dist/toolservice/register.js',
          env: tracingEnv(fronts[1]!.endpoint),
        }),
        spawnService({
          entry: 'dist/subagent/server.js',
          register: 'dist/subagent/register.js',
          env: {
            ...tracingEnv(fronts[0]!.endpoint),
            EMULATOR_LATENCY_MS: String(SUB_AGENT_LATENCY_MS),
          },
        }),
      ]);
      const agents: SpawnedService[] = await Promise.all(
        Array.from({ length: AGENTS }, (_, index) =>
          spawnService({
            env: {
              ...tracingEnv(fronts[index % FRONT_TIERS]!.endpoint),
              MCP_SERVER_URL: `${tools.url}/mcp`,
              SUB_AGENT_URL: subAgent.url,
            },
          }),
        ),
      );
      for (const agent of agents)
        await until(
          async () => (await fetch(`${agent.url}/readyz`)).ok,
          'each agent to be ready (its MCP tools listed, its sub-agent answering)',
        );

      // A round-robin in front of the replicas, as a Service spreads connections over its pods.
      let next = 0;
      const worker = async () => {
        while (next < REQUESTS) {
          const index = next++;
          const response = await fetch(`${agents[index % AGENTS]!.url}/api/v1/agent/execute`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ task: TASKS[index % TASKS.length] }),
          });
          expect(response.status).toBe(200);
          const traceId = response.headers.get('x-trace-id')!;
          answered.push(traceId);
          taskOf.set(traceId, TASKS[index % TASKS.length]!);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      // SIGTERM: each service flushes its last spans before it exits.
      for (const service of [...agents, subAgent, tools]) expect(await service.stop()).toBe(0);
      // Each trace is decided a decision wait after its first span, in the tail pod the front
      // tier routes it to; one never received there fails here.
      await Promise.all(
        tails.map(({ backend, sampler }) =>
          sampler.whenDecided(answered.filter((id) => fronts[0]!.backendForTrace(id) === backend)),
        ),
      );
    }, 150_000);

    afterAll(async () => {
      await stopAllServices();
      await Promise.all(
        [...fronts, ...tails.map(({ receiver }) => receiver)].map((tier) => tier.stop()),
      );
      for (const { sampler } of tails) sampler.stop();
    });

    it('decides every trace once, in one tail pod, on all of its spans: a kept trace is whole, no span of a dropped one is kept', () => {
      const sent = tracesOf(fronts.flatMap(({ received }) => received));
      // Every answered request's trace, and the services' own (the MCP handshake, readiness checks).
      expect(answered.filter((traceId) => !sent.has(traceId))).toEqual([]);
      // A quarter of the traces crossed both front pods (the MCP calls of the agents on front 0,
      // the delegations of the agent on front 1): the routing, not one path, keeps them whole.
      const crossing = [...sent.keys()].filter((traceId) =>
        fronts.every(({ received }) =>
          received.some((batch) => batch.some((span) => span.traceId === traceId)),
        ),
      );
      expect(crossing.length).toBeGreaterThan(REQUESTS / 5);

      const decisions = tails.flatMap(({ sampler }) => sampler.decisions);
      expect(decisions.map(({ traceId }) => traceId).sort()).toEqual([...sent.keys()].sort());
      for (const { traceId, spans } of decisions)
        expect([traceId, spanIds(spans)]).toEqual([traceId, spanIds(sent.get(traceId)!)]);
      expect(tails.map(({ sampler }) => sampler.lateSpans)).toEqual(tails.map(() => 0));

      const keptSpans = new Set(
        decisions.filter(({ keptBy }) => keptBy).flatMap(({ spans }) => spanIds(spans)),
      );
      for (const { keptBy, spans } of decisions)
        if (!keptBy) expect(spans.filter(({ spanId }) => keptSpans.has(spanId))).toEqual([]);
    });

    it('keeps what the policies keep of each whole trace: every error, every slow trace, a share of the rest', () => {
      const sent = tracesOf(fronts.flatMap(({ received }) => received));
      const policies = tailConfig.policies.map((policy) => ({
        name: policy.name,
        keeps: createPolicy(policy),
      }));
      const decisions = tails.flatMap(({ sampler }) => sampler.decisions);
      for (const { traceId, keptBy } of decisions)
        expect([traceId, keptBy]).toEqual([
          traceId,
          policies.find(({ keeps }) => keeps(traceId, sent.get(traceId)!))?.name,
        ]);
      // Every run whose tool failed is kept as an error; every delegation, slowed, as slow.
      const keptByOf = new Map(decisions.map(({ traceId, keptBy }) => [traceId, keptBy]));
      const keptFor = (task: string) =>
        new Set(answered.filter((id) => taskOf.get(id) === task).map((id) => keptByOf.get(id)));
      expect(keptFor(FAILING_TOOL)).toEqual(new Set(['keep-every-error']));
      expect(keptFor(DELEGATION)).toEqual(new Set(['keep-slow-traces']));
      const others = answered.filter((id) => [TOOL, MCP_TOOL].includes(taskOf.get(id)!));
      const shared = others.filter((id) => keptByOf.get(id) === 'keep-a-share-of-the-rest');
      expect(shared.length).toBeGreaterThan(0);
      expect(shared.length).toBeLessThan(others.length / 3);
    });

    it('would cut traces without trace-id routing: each front pod sending to one tail pod splits and half-keeps them', async () => {
      const pinned = tails.map(() => new TailSampler({ ...tailConfig, decisionWaitMs: 0 }));
      fronts.forEach(({ received }, index) => {
        for (const batch of received) pinned[index % TAIL_TIERS]!.add(batch);
      });
      const sent = tracesOf(fronts.flatMap(({ received }) => received));
      const decided = () =>
        new Set(pinned.flatMap(({ decisions }) => decisions.map(({ traceId }) => traceId)));
      await until(() => decided().size === sent.size, 'every replayed trace to be decided');
      const decisions = pinned.flatMap((sampler) => sampler.decisions);
      const decidedTwice = new Set(
        decisions
          .map(({ traceId }) => traceId)
          .filter((traceId, index, all) => all.indexOf(traceId) !== index),
      );
      const keptIncomplete = decisions.filter(
        ({ traceId, keptBy, spans }) => keptBy && spans.length < sent.get(traceId)!.length,
      );
      expect(decidedTwice.size).toBeGreaterThan(0);
      expect(keptIncomplete.length).toBeGreaterThan(0);
    });
  },
);
