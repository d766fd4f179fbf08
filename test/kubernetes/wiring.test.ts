import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { undefinedComponents, type CollectorConfig } from '../../dev/collector/collector-config';
import { PROBE_OPERATIONS } from '../../src/http/probes';
import { LIMITS } from '../../src/limits';
import {
  AGENT_SERVICE_DEFAULTS,
  SUB_AGENT_SERVICE_DEFAULTS,
  TOOL_SERVICE_DEFAULTS,
  type ServiceDefaults,
} from '../../src/service-defaults';
import { METRIC_AGENT_ADMISSION_IN_FLIGHT } from '../../src/tracing/semconv';
import { VARIABLE_NAMES } from '../../src/variables';
import {
  findObject,
  kustomizeComponent,
  OVERLAYS,
  renderOverlay,
  type KubernetesObject,
  type Overlay,
} from '../support/kustomize';
import {
  collectorConfig,
  type ConfigMap,
  type Container,
  type EnvVar,
  type Secret,
  type Service,
  type Workload,
} from '../support/kubernetes-objects';
import {
  connectionAllowed,
  egressOutsideAllowed,
  selects,
  type PodEnd,
} from '../support/network-policy';
import { describeWithComponent } from '../support/needs-component';

/**
 * The rendered manifests against the code: the ports, probe paths, variables, commands and
 * Service names the pods use are the ones the services read; every URL a pod calls names a
 * Service that exists, on a port its pods listen on, and the network policies let the call
 * through; the collectors' pipelines use only components they define, the front tier routes by
 * trace id to the tail tier's headless Service, and the tail tier applies compose's policies;
 * every image is pinned and no secret is in the manifests.
 */
const ROOT = path.join(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const packageJson = JSON.parse(read('package.json')) as {
  version: string;
  scripts: Record<string, string>;
};

/** The three services, their defaults in the code, and the npm script each image command is. */
const SERVICES: [string, ServiceDefaults, string][] = [
  ['agent', AGENT_SERVICE_DEFAULTS, 'start'],
  ['sub-agent', SUB_AGENT_SERVICE_DEFAULTS, 'start:subagent'],
  ['tool-service', TOOL_SERVICE_DEFAULTS, 'start:tools'],
];

/** The one container that is allowed a writable root filesystem, and why (opensearch.yaml). */
const WRITABLE_ROOT = ['opensearch'];

/** Variables that hold secrets: never a value in a manifest, always a Secret's key. */
const SECRET_VARIABLES = [
  ...VARIABLE_NAMES.filter((name) => /_API_KEYS?$/.test(name)),
  'DATABASE_URL',
];

const workloads = (objects: readonly KubernetesObject[]) =>
  objects.filter(
    (object) => object.kind === 'Deployment' || object.kind === 'StatefulSet',
  ) as Workload[];

const podEnd = (workload: Workload): PodEnd => ({
  labels: workload.spec.template.metadata.labels,
  ports: Object.fromEntries(
    workload.spec.template.spec.containers.flatMap((container) =>
      (container.ports ?? []).map(({ name = '', containerPort }) => [name, containerPort]),
    ),
  ),
});

/** A container's environment as the kubelet builds it: its ConfigMaps first, then `env`. */
function environment(objects: readonly KubernetesObject[], container: Container) {
  const variables = new Map<string, EnvVar>();
  for (const source of container.envFrom ?? []) {
    const configMap = findObject<ConfigMap>(objects, 'ConfigMap', source.configMapRef!.name);
    for (const [name, value] of Object.entries(configMap.data))
      variables.set(name, { name, value });
  }
  for (const variable of container.env ?? []) variables.set(variable.name, variable);
  return variables;
}

/** The value a variable has in the pod, when the manifests say it (not a Secret's). */
function plainValue(objects: readonly KubernetesObject[], variable: EnvVar): string | undefined {
  if (variable.value !== undefined) return variable.value;
  const reference = variable.valueFrom?.secretKeyRef;
  if (!reference) return undefined;
  const secret = objects.find(
    (object) => object.kind === 'Secret' && object.metadata.name === reference.name,
  ) as Secret | undefined;
  const encoded = secret?.data?.[reference.key];
  return encoded === undefined
    ? secret?.stringData?.[reference.key]
    : Buffer.from(encoded, 'base64').toString();
}

/** The workload whose pods a Service sends to, and the container port it sends to. */
function behindService(objects: readonly KubernetesObject[], name: string, port: number) {
  const service = findObject<Service>(objects, 'Service', name);
  const servicePort = service.spec.ports.find((candidate) => candidate.port === port);
  if (!servicePort) throw new Error(`Service ${name} has no port ${port}`);
  const workload = workloads(objects).find((candidate) =>
    selects({ matchLabels: service.spec.selector }, candidate.spec.template.metadata.labels),
  );
  if (!workload) throw new Error(`Service ${name} selects no pods`);
  const target = servicePort.targetPort ?? port;
  const containerPort = typeof target === 'number' ? target : podEnd(workload).ports[target];
  if (containerPort === undefined) throw new Error(`${name}'s pods have no port ${target}`);
  return { service, workload, containerPort };
}

/** Every connection a pod opens, read from the manifests: `host:port` and who opens it. */
function calls(
  objects: readonly KubernetesObject[],
): { from: Workload; address: string; what: string }[] {
  const found: { from: Workload; address: string; what: string }[] = [];
  for (const workload of workloads(objects)) {
    for (const container of workload.spec.template.spec.containers) {
      for (const variable of environment(objects, container).values()) {
        const value = plainValue(objects, variable);
        if (!value || !/^(https?|postgres):\/\//.test(value)) continue;
        const url = new URL(value);
        if (url.hostname.includes('.')) continue;
        const port = url.port || (url.protocol === 'postgres:' ? '5432' : '80');
        found.push({ from: workload, address: `${url.hostname}:${port}`, what: variable.name });
      }
    }
    const args = workload.spec.template.spec.containers[0]!.args ?? [];
    if (!args.some((arg) => arg.startsWith('--config='))) continue;
    const config = collectorConfig(objects, workload) as CollectorConfig & {
      exporters: Record<
        string,
        { endpoint?: string; resolver?: { dns?: { hostname: string; port: number } } }
      >;
      extensions: Record<
        string,
        { backends?: Record<string, { opensearch?: { server_urls: string[] } }> }
      >;
    };
    for (const [id, exporter] of Object.entries(config.exporters ?? {})) {
      if (exporter.endpoint) found.push({ from: workload, address: exporter.endpoint, what: id });
      const dns = exporter.resolver?.dns;
      if (dns) found.push({ from: workload, address: `${dns.hostname}:${dns.port}`, what: id });
    }
    for (const backend of Object.values(config.extensions?.jaeger_storage?.backends ?? {}))
      for (const url of backend.opensearch?.server_urls ?? [])
        found.push({ from: workload, address: new URL(url).host, what: 'opensearch' });
  }
  return found;
}

describeWithComponent('the Kubernetes manifests against the code', kustomizeComponent(), () => {
  const rendered = new Map<Overlay, KubernetesObject[]>(
    OVERLAYS.map((overlay) => [overlay, renderOverlay(overlay)]),
  );
  const each = OVERLAYS.map((overlay) => [overlay, rendered.get(overlay)!] as const);

  describe.each(each)('%s', (overlay, objects) => {
    it.each(SERVICES)(
      'runs %s with the port, metrics port, service name, command and probe paths of the code',
      (name, defaults, script) => {
        const workload = findObject<Workload>(objects, 'Deployment', name);
        const container = workload.spec.template.spec.containers[0]!;
        const env = environment(objects, container);
        expect(env.get('PORT')!.value).toBe(String(defaults.port));
        expect(env.get('OTEL_SERVICE_NAME')!.value).toBe(defaults.serviceName);
        expect(env.has('OTEL_EXPORTER_PROMETHEUS_PORT')).toBe(false);
        expect(podEnd(workload).ports).toEqual({
          http: defaults.port,
          metrics: defaults.prometheusPort,
        });
        expect(workload.spec.template.metadata.annotations!['prometheus.io/port']).toBe(
          String(defaults.prometheusPort),
        );
        expect(container.command!.join(' ')).toBe(packageJson.scripts[script]);
        const pathOf = (operationId: string) =>
          PROBE_OPERATIONS.find((operation) => operation.operationId === operationId)!.path;
        expect(container.livenessProbe!.httpGet).toEqual({
          path: pathOf('liveness'),
          port: 'http',
        });
        expect(container.readinessProbe!.httpGet).toEqual({
          path: pathOf('readiness'),
          port: 'http',
        });
        expect(behindService(objects, name, defaults.port).workload).toBe(workload);
      },
    );

    it('sets only variables the services read: the schema’s, the SDK file’s ${…}, or helpers of a later $(…)', () => {
      const sdkFile = findObject<ConfigMap>(
        objects,
        'ConfigMap',
        objects.find((object) => object.metadata.name.startsWith('otel-sdk-'))!.metadata.name,
      ).data['otel.yaml']!;
      const fileVariables = [...sdkFile.matchAll(/\$\{(?:env:)?([A-Z_]+)(?::-[^}]*)?\}/g)].map(
        ([, name]) => name!,
      );
      for (const [name] of SERVICES) {
        const container = findObject<Workload>(objects, 'Deployment', name).spec.template.spec
          .containers[0]!;
        const env = [...environment(objects, container).values()];
        env.forEach((variable, index) => {
          const laterUses = env
            .slice(index + 1)
            .filter(({ value }) => value?.includes(`$(${variable.name})`));
          const known = VARIABLE_NAMES.includes(variable.name as never);
          expect([
            variable.name,
            known || fileVariables.includes(variable.name) || laterUses.length > 0,
          ]).toEqual([variable.name, true]);
          // $(NAME) expands only names defined before it.
          for (const [, used] of (variable.value ?? '').matchAll(/\$\(([A-Z_0-9]+)\)/g))
            expect(env.slice(0, index).map(({ name: earlier }) => earlier)).toContain(used);
        });
        const configFile = env.find(
          ({ name: variable }) => variable === 'OTEL_CONFIG_FILE',
        )!.value!;
        const mount = container.volumeMounts!.find(
          ({ mountPath }) => mountPath === path.dirname(configFile),
        )!;
        const volume = findObject<Workload>(
          objects,
          'Deployment',
          name,
        ).spec.template.spec.volumes!.find(({ name: volumeName }) => volumeName === mount.name)!;
        expect(volume.configMap!.name).toMatch(/^otel-sdk-/);
        expect(path.basename(configFile)).toBe('otel.yaml');
      }
    });

    it('gives every pod of the services more grace than the drain delay, the shutdown timeout and the flush', () => {
      for (const [name] of SERVICES) {
        const workload = findObject<Workload>(objects, 'Deployment', name);
        const env = environment(objects, workload.spec.template.spec.containers[0]!);
        const drainMs = Number(
          env.get('SHUTDOWN_DRAIN_DELAY_MS')?.value ?? LIMITS.shutdownDrainDelayMs,
        );
        const timeoutMs = Number(env.get('SHUTDOWN_TIMEOUT_MS')?.value ?? LIMITS.shutdownTimeoutMs);
        expect(drainMs).toBeGreaterThan(0);
        expect(workload.spec.template.spec.terminationGracePeriodSeconds! * 1000).toBeGreaterThan(
          drainMs + timeoutMs + LIMITS.flushGraceMs,
        );
      }
    });

    it('names, for every URL and endpoint a pod calls, a Service on a port its pods listen on, and lets the call through the network policies', () => {
      const found = calls(objects);
      expect(found.map(({ from, what }) => `${from.metadata.name} ${what}`)).toEqual(
        expect.arrayContaining([
          'agent SUB_AGENT_URL',
          'agent MCP_SERVER_URL',
          'agent OTEL_EXPORTER_OTLP_ENDPOINT',
          'otel-collector loadbalancing',
          'otel-collector-tail otlp/jaeger',
        ]),
      );
      for (const { from, address, what } of found) {
        const [host, port] = address.split(':');
        const { workload, containerPort } = behindService(objects, host!, Number(port));
        expect([
          from.metadata.name,
          what,
          connectionAllowed(objects, podEnd(from), podEnd(workload), containerPort),
        ]).toEqual([from.metadata.name, what, true]);
      }
    });

    it('lets the agent reach only the sub-agent, the tool service, the collector, PostgreSQL and the model’s API', () => {
      const agent = podEnd(findObject<Workload>(objects, 'Deployment', 'agent'));
      const reachable = workloads(objects)
        .filter((workload) =>
          Object.values(podEnd(workload).ports).some((port) =>
            connectionAllowed(objects, agent, podEnd(workload), port),
          ),
        )
        .map((workload) => workload.metadata.name)
        .sort();
      const expected = ['otel-collector', 'sub-agent', 'tool-service'];
      expect(reachable).toEqual(
        overlay === 'development' ? [...expected, 'postgres'].sort() : expected,
      );
      expect(egressOutsideAllowed(objects, agent, 443)).toBe(true);
      expect(egressOutsideAllowed(objects, agent, 5432)).toBe(true);
      expect(egressOutsideAllowed(objects, agent, 80)).toBe(false);
      const toolService = podEnd(findObject<Workload>(objects, 'Deployment', 'tool-service'));
      expect(egressOutsideAllowed(objects, toolService, 443)).toBe(false);
    });

    it('defines every receiver, processor, exporter and extension the collectors’ and Jaeger’s pipelines use', () => {
      for (const name of ['otel-collector', 'otel-collector-tail', 'jaeger']) {
        const workload = workloads(objects).find((candidate) => candidate.metadata.name === name)!;
        expect([name, undefinedComponents(collectorConfig(objects, workload))]).toEqual([name, []]);
      }
    });

    it('routes spans by trace id from the front tier to the headless Service of the tail-sampling StatefulSet', () => {
      const front = collectorConfig(
        objects,
        findObject(objects, 'Deployment', 'otel-collector'),
      ) as CollectorConfig & {
        exporters: {
          loadbalancing: {
            routing_key: string;
            resolver: { dns: { hostname: string; port: number } };
          };
        };
      };
      expect(front.service.pipelines.traces!.processors).toContain('k8sattributes');
      expect(front.service.pipelines.traces!.exporters).toEqual(['loadbalancing']);
      const { routing_key, resolver } = front.exporters.loadbalancing;
      expect(routing_key).toBe('traceID');
      const { service, workload, containerPort } = behindService(
        objects,
        resolver.dns.hostname,
        resolver.dns.port,
      );
      expect(service.spec.clusterIP).toBe('None');
      expect(workload.kind).toBe('StatefulSet');
      expect(workload.spec.serviceName).toBe(service.metadata.name);
      expect(containerPort).toBe(resolver.dns.port);
      const tail = collectorConfig(objects, workload);
      expect(tail.service.pipelines.traces!.processors).toContain('tail_sampling');
    });

    it('samples in the tail tier with the policies of compose’s collector, and sends every trace there', () => {
      const tail = collectorConfig(
        objects,
        findObject(objects, 'StatefulSet', 'otel-collector-tail'),
      );
      const compose = parse(read('otel-collector-config.yaml')) as CollectorConfig;
      expect(tail.processors!.tail_sampling).toEqual(compose.processors!.tail_sampling);
      const agent = findObject<Workload>(objects, 'Deployment', 'agent');
      expect(
        environment(objects, agent.spec.template.spec.containers[0]!).get('TRACES_SAMPLE_RATIO')!
          .value,
      ).toBe('1');
    });

    it('gives k8sattributes a service account that may read this namespace’s pods and replica sets', () => {
      const front = findObject<Workload>(objects, 'Deployment', 'otel-collector');
      const account = front.spec.template.spec.serviceAccountName!;
      const binding = objects.find(
        (object) =>
          object.kind === 'RoleBinding' &&
          (object as unknown as { subjects: { name: string }[] }).subjects.some(
            ({ name }) => name === account,
          ),
      ) as unknown as { roleRef: { name: string } };
      const role = findObject<
        KubernetesObject & { rules: { resources: string[]; verbs: string[] }[] }
      >(objects, 'Role', binding.roleRef.name);
      const granted = role.rules.flatMap(({ resources, verbs }) =>
        resources.map((resource) => `${resource}:${verbs.join(',')}`),
      );
      expect(granted).toEqual(['pods:get,list,watch', 'replicasets:get,list,watch']);
    });

    it('runs every container as a non-root user, without privilege escalation or capabilities, on a read-only root, under RuntimeDefault seccomp', () => {
      for (const workload of workloads(objects)) {
        const pod = workload.spec.template.spec;
        expect([workload.metadata.name, pod.securityContext]).toMatchObject([
          workload.metadata.name,
          { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        ]);
        expect(pod.securityContext!.runAsUser).toBeGreaterThan(0);
        for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
          expect([container.name, container.securityContext]).toEqual([
            container.name,
            expect.objectContaining({
              allowPrivilegeEscalation: false,
              capabilities: { drop: ['ALL'] },
              readOnlyRootFilesystem: !WRITABLE_ROOT.includes(container.name),
            }),
          ]);
        }
      }
    });

    it('pins every image: the project’s at its package version, every other by tag and digest', () => {
      for (const workload of workloads(objects))
        for (const { image } of workload.spec.template.spec.containers)
          expect(image).toMatch(
            new RegExp(
              `^(traced-agent:${packageJson.version.replaceAll('.', '\\.')}|[a-z0-9./-]+:\\d+\\.\\d+(\\.\\d+)?@sha256:[0-9a-f]{64})$`,
            ),
          );
    });

    it('holds no secret: secret variables come from Secrets, and no Secret of the manifests holds a password', () => {
      for (const workload of workloads(objects))
        for (const container of workload.spec.template.spec.containers)
          for (const variable of environment(objects, container).values())
            if (SECRET_VARIABLES.includes(variable.name))
              expect([variable.name, variable.value, variable.valueFrom?.secretKeyRef]).toEqual([
                variable.name,
                undefined,
                expect.objectContaining({ key: expect.any(String) }),
              ]);
      for (const secret of objects.filter((object) => object.kind === 'Secret') as Secret[]) {
        const values = [
          ...Object.values(secret.data ?? {}).map((value) =>
            Buffer.from(value, 'base64').toString(),
          ),
          ...Object.values(secret.stringData ?? {}),
        ];
        for (const value of values) {
          expect(URL.canParse(value)).toBe(true);
          expect(new URL(value).password).toBe('');
        }
      }
    });

    it('scales the agent and the sub-agent on runs in flight: the gauge the service exports, averaged over each pod’s series', () => {
      const adapter = parse(read('deploy/kubernetes/prometheus-adapter-values.yaml')) as {
        rules: { custom: { seriesQuery: string; name: { as: string }; metricsQuery: string }[] };
      };
      const exported = METRIC_AGENT_ADMISSION_IN_FLIGHT.replaceAll('.', '_');
      const rules = adapter.rules.custom.filter(({ seriesQuery }) =>
        seriesQuery.startsWith(`${exported}{`),
      );
      // A gauge is read as it is, not as a rate; a pod scraped twice has two series of its runs.
      for (const { metricsQuery } of rules)
        expect(metricsQuery).toBe('avg by (<<.GroupBy>>) (<<.Series>>{<<.LabelMatchers>>})');
      const served = rules.map(({ name }) => name.as);
      for (const name of ['agent', 'sub-agent']) {
        const hpa = findObject<
          KubernetesObject & {
            spec: {
              scaleTargetRef: { kind: string; name: string };
              metrics: { type: string; pods?: { metric: { name: string } } }[];
            };
          }
        >(objects, 'HorizontalPodAutoscaler', name);
        expect(
          findObject(objects, hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name),
        ).toBeDefined();
        const podMetrics = hpa.spec.metrics
          .filter(({ type }) => type === 'Pods')
          .map(({ pods }) => pods!.metric.name);
        expect(podMetrics.length).toBe(1);
        expect(served).toContain(podMetrics[0]);
      }
    });
  });

  describe('production', () => {
    const objects = rendered.get('production')!;

    it('spreads every Deployment over nodes, and covers each workload of more than one replica with a PodDisruptionBudget', () => {
      const budgets = objects.filter(
        (object) => object.kind === 'PodDisruptionBudget',
      ) as (KubernetesObject & {
        spec: { selector: { matchLabels: Record<string, string> } };
      })[];
      for (const workload of workloads(objects)) {
        const labels = workload.spec.template.metadata.labels;
        if (workload.kind === 'Deployment')
          expect([
            workload.metadata.name,
            workload.spec.template.spec.topologySpreadConstraints?.map(
              ({ topologyKey }) => topologyKey,
            ),
          ]).toEqual([workload.metadata.name, expect.arrayContaining(['kubernetes.io/hostname'])]);
        if ((workload.spec.replicas ?? 1) > 1)
          expect([
            workload.metadata.name,
            budgets.some((budget) => selects(budget.spec.selector, labels)),
          ]).toEqual([workload.metadata.name, true]);
      }
    });

    it('reads its secrets from the one Secret the command of docs/kubernetes.md creates, every key of it', () => {
      const command = /kubectl -n (\S+) create secret generic (\S+) \\\n([\s\S]*?)\n```/.exec(
        read('docs/kubernetes.md'),
      )!;
      const [, namespace, secretName, literals] = command;
      const created = [...literals!.matchAll(/--from-literal=([a-z-]+)=/g)]
        .map(([, key]) => key)
        .sort();
      const referenced = new Set<string>();
      for (const [name] of SERVICES)
        for (const variable of findObject<Workload>(objects, 'Deployment', name).spec.template.spec
          .containers[0]!.env!) {
          const reference = variable.valueFrom?.secretKeyRef;
          if (!reference) continue;
          expect(reference.name).toBe(secretName);
          referenced.add(reference.key);
        }
      expect([...referenced].sort()).toEqual(created);
      expect(findObject(objects, 'Namespace', namespace!)).toBeDefined();
    });

    it('keeps Jaeger’s traces in OpenSearch, and requires every secret of the services', () => {
      const jaeger = collectorConfig(
        objects,
        findObject(objects, 'Deployment', 'jaeger'),
      ) as CollectorConfig & {
        extensions: {
          jaeger_query: { storage: { traces: string } };
          jaeger_storage: { backends: Record<string, object> };
        };
      };
      const store = jaeger.extensions.jaeger_query.storage.traces;
      expect(Object.keys(jaeger.extensions.jaeger_storage.backends[store]!)).toEqual([
        'opensearch',
      ]);
      for (const [name] of SERVICES) {
        const container = findObject<Workload>(objects, 'Deployment', name).spec.template.spec
          .containers[0]!;
        for (const variable of container.env!)
          if (variable.valueFrom?.secretKeyRef)
            expect([variable.name, variable.valueFrom.secretKeyRef.optional]).toEqual([
              variable.name,
              false,
            ]);
      }
      expect(objects.some((object) => object.kind === 'Secret')).toBe(false);
    });
  });
});
