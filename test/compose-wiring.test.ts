import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  AGENT_SERVICE_DEFAULTS,
  SUB_AGENT_SERVICE_DEFAULTS,
  TOOL_SERVICE_DEFAULTS,
} from '../src/service-defaults';
import { loadTracingConfig } from '../src/tracing/setup/tracing-config';
import { VARIABLE_NAMES } from '../src/variables';

/**
 * docker-compose.tracing.yml cannot run here (no Docker engine); CI validates its syntax with
 * `docker-compose config`, and this checks that its wiring matches the code: ports, service names,
 * variable names, commands.
 */
const ROOT = path.join(__dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  profiles?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const compose = parse(read('docker-compose.tracing.yml')) as {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
};
const {
  jaeger,
  agent,
  'sub-agent': subAgent,
  'tool-service': toolService,
  'otel-collector': collector,
  postgres,
} = compose.services;
const packageScripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> })
  .scripts;

/** `${NAME:-default}` as compose resolves it when NAME is not set. */
const withDefaults = (value: string) => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

describe('docker-compose.tracing.yml', () => {
  it('runs Jaeger v2 on a pinned tag with the UI and both OTLP ports published', () => {
    expect(jaeger!.image).toMatch(/^jaegertracing\/jaeger:2\.\d+\.\d+$/);
    expect(jaeger!.ports).toEqual(
      expect.arrayContaining(['16686:16686', '4317:4317', '4318:4318']),
    );
  });

  it.each([
    ['agent', agent!, AGENT_SERVICE_DEFAULTS],
    ['sub-agent', subAgent!, SUB_AGENT_SERVICE_DEFAULTS],
  ])(
    'wires %s with the service name, port and OTLP endpoint the code expects',
    (_name, service, defaults) => {
      const env = service.environment!;
      expect(env.OTEL_SERVICE_NAME).toBe(defaults.serviceName);
      expect(env.PORT).toBe(String(defaults.port));
      expect(service.ports).toEqual([`${defaults.port}:${defaults.port}`]);
      expect(withDefaults(env.OTEL_EXPORTER_OTLP_ENDPOINT!)).toBe('http://jaeger:4317');
      expect(env.GEMINI_API_KEY).toBe('${GEMINI_API_KEY:-}');
      expect(withDefaults(env.GEMINI_SDK!)).toBe('generative-ai');
      expect(service.build).toBe('.');
      expect(service.healthcheck!.test).toEqual(['CMD', 'node', 'dist/healthcheck.js']);
      expect(existsSync(path.join(ROOT, 'src', 'healthcheck.ts'))).toBe(true);
      expect(service.depends_on!.jaeger).toBeDefined();
      for (const variable of Object.keys(env)) expect(VARIABLE_NAMES).toContain(variable);
    },
  );

  it('runs a pinned PostgreSQL with a health check and its data in a named volume, and wires both agents to it', () => {
    expect(postgres!.image).toMatch(/^postgres:\d+\.\d+$/);
    expect(postgres!.healthcheck!.test.slice(0, 2)).toEqual(['CMD', 'pg_isready']);
    const [volume, mountPath] = postgres!.volumes![0]!.split(':');
    expect(compose.volumes).toHaveProperty(volume!);
    expect(mountPath).toBe('/var/lib/postgresql/data');
    const env = postgres!.environment!;
    for (const service of [agent!, subAgent!]) {
      const url = new URL(withDefaults(service.environment!.DATABASE_URL!));
      expect(url.host).toBe('postgres:5432');
      expect(url.username).toBe(env.POSTGRES_USER);
      expect(url.password).toBe(withDefaults(env.POSTGRES_PASSWORD!));
      expect(url.pathname).toBe(`/${env.POSTGRES_DB}`);
      expect(service.depends_on!.postgres).toEqual({ condition: 'service_healthy' });
    }
  });

  it('points the agent at the sub-agent service by its compose name and port, once it is healthy', () => {
    expect(agent!.environment!.SUB_AGENT_URL).toBe(
      `http://sub-agent:${SUB_AGENT_SERVICE_DEFAULTS.port}`,
    );
    expect(agent!.depends_on!['sub-agent']).toEqual({ condition: 'service_healthy' });
  });

  it('runs the MCP tool service from the same image with the command of npm run start:tools, its port and a health check', () => {
    const env = toolService!.environment!;
    expect(env.OTEL_SERVICE_NAME).toBe(TOOL_SERVICE_DEFAULTS.serviceName);
    expect(env.PORT).toBe(String(TOOL_SERVICE_DEFAULTS.port));
    expect(toolService!.ports).toEqual([
      `${TOOL_SERVICE_DEFAULTS.port}:${TOOL_SERVICE_DEFAULTS.port}`,
    ]);
    expect(withDefaults(env.OTEL_EXPORTER_OTLP_ENDPOINT!)).toBe('http://jaeger:4317');
    expect(toolService!.build).toBe('.');
    expect(toolService!.image).toBe(agent!.image);
    expect(toolService!.command!.join(' ')).toBe(packageScripts['start:tools']);
    expect(toolService!.healthcheck!.test).toEqual(['CMD', 'node', 'dist/healthcheck.js']);
    for (const variable of Object.keys(env)) expect(VARIABLE_NAMES).toContain(variable);
  });

  it('points the agent at the tool service’s MCP endpoint by its compose name and port', () => {
    expect(agent!.environment!.MCP_SERVER_URL).toBe(
      `http://tool-service:${TOOL_SERVICE_DEFAULTS.port}/mcp`,
    );
    expect(agent!.depends_on!['tool-service']).toEqual({ condition: 'service_healthy' });
  });

  it('starts each service with the same command as its npm script', () => {
    const dockerCmd = /^CMD (\[.*\])$/m.exec(read('Dockerfile'))![1]!;
    expect((JSON.parse(dockerCmd) as string[]).join(' ')).toBe(packageScripts.start);
    expect(subAgent!.command!.join(' ')).toBe(packageScripts['start:subagent']);
  });

  it('ships the example configuration files in the image, where OTEL_CONFIG_FILE=config/… finds them from its working directory', () => {
    expect(read('Dockerfile')).toMatch(/^WORKDIR \/app$/m);
    expect(read('Dockerfile')).toMatch(/^COPY config \.\/config$/m);
    for (const file of ['config/otel-development.yaml', 'config/otel-production.yaml'])
      expect(existsSync(path.join(ROOT, file))).toBe(true);
  });

  it('puts the tail-sampling collector behind a profile, keeping every error and a share of the rest', () => {
    expect(collector!.profiles).toEqual(['collector']);
    expect(collector!.image).toMatch(/^otel\/opentelemetry-collector-contrib:\d+\.\d+\.\d+$/);
    const [configFile] = collector!.volumes![0]!.split(':');
    const config = parse(read(configFile!)) as {
      processors: {
        tail_sampling: {
          policies: {
            type: string;
            status_code?: { status_codes: string[] };
            probabilistic?: { sampling_percentage: number };
          }[];
        };
      };
      exporters: Record<string, { endpoint: string }>;
      service: { pipelines: { traces: { processors: string[]; exporters: string[] } } };
    };
    const policies = config.processors.tail_sampling.policies;
    expect(
      policies.find((policy) => policy.type === 'status_code')!.status_code!.status_codes,
    ).toEqual(['ERROR']);
    expect(
      policies.find((policy) => policy.type === 'probabilistic')!.probabilistic!
        .sampling_percentage,
    ).toBeGreaterThan(0);
    expect(config.service.pipelines.traces.processors).toContain('tail_sampling');
    const [exporter] = config.service.pipelines.traces.exporters;
    expect(config.exporters[exporter!]!.endpoint).toBe('jaeger:4317');
  });
  it.each([
    ['agent', agent!],
    ['sub-agent', subAgent!],
  ])(
    'keeps every trace in %s although the image runs with NODE_ENV=production, so tail sampling sees every error',
    (_name, service) => {
      expect(read('Dockerfile')).toContain('ENV NODE_ENV=production');
      expect(withDefaults(service.environment!.OTEL_TRACES_SAMPLER!)).toBe('parentbased_always_on');
    },
  );
});

describe('metrics in docker-compose.tracing.yml', () => {
  const { prometheus, grafana } = compose.services;
  const mountOf = (service: ComposeService, target: string) =>
    service
      .volumes!.map((volume) => volume.split(':'))
      .find(([, inside]) => inside === target)![0]!;

  // The releases docs/metrics.md says were checked as published, and where.
  it('pins Jaeger 2.20.0, the collector 0.162.0, Prometheus v3.13.3 (LTS) and Grafana 13.2.0', () => {
    expect(jaeger!.image).toBe('jaegertracing/jaeger:2.20.0');
    expect(collector!.image).toBe('otel/opentelemetry-collector-contrib:0.162.0');
    expect(prometheus!.image).toBe('prom/prometheus:v3.13.3');
    expect(grafana!.image).toBe('grafana/grafana:13.2.0');
  });

  it('has Prometheus scrape each service on its own exporter port, and Jaeger’s span metrics', () => {
    const config = parse(read(mountOf(prometheus!, '/etc/prometheus/prometheus.yml'))) as {
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    const targets = Object.fromEntries(
      config.scrape_configs.map((job) => [job.job_name, job.static_configs[0]!.targets[0]]),
    );
    expect(targets).toEqual({
      [AGENT_SERVICE_DEFAULTS.serviceName]: `agent:${AGENT_SERVICE_DEFAULTS.prometheusPort}`,
      [SUB_AGENT_SERVICE_DEFAULTS.serviceName]: `sub-agent:${SUB_AGENT_SERVICE_DEFAULTS.prometheusPort}`,
      [TOOL_SERVICE_DEFAULTS.serviceName]: `tool-service:${TOOL_SERVICE_DEFAULTS.prometheusPort}`,
      'jaeger-spanmetrics': 'jaeger:8889',
    });
  });

  it.each([
    ['agent', agent!, AGENT_SERVICE_DEFAULTS],
    ['sub-agent', subAgent!, SUB_AGENT_SERVICE_DEFAULTS],
    ['tool-service', toolService!, TOOL_SERVICE_DEFAULTS],
  ])(
    'has %s serve its metrics on every interface of its container, where Prometheus reaches them',
    (_name, service, defaults) => {
      const env = Object.fromEntries(
        Object.entries(service.environment!).map(([name, value]) => [name, withDefaults(value)]),
      );
      expect(loadTracingConfig(env, defaults).prometheus).toEqual({
        host: '0.0.0.0',
        port: defaults.prometheusPort,
      });
    },
  );

  it('has Prometheus load the repository’s recording rules from where they are mounted', () => {
    const config = parse(read(mountOf(prometheus!, '/etc/prometheus/prometheus.yml'))) as {
      rule_files: string[];
    };
    expect(config.rule_files).toEqual(['/etc/prometheus/rules/*.yml']);
    expect(mountOf(prometheus!, '/etc/prometheus/rules')).toBe('./observability/rules');
  });

  it('gives Jaeger the Monitor tab: spans to the spanmetrics connector, metrics read back from Prometheus', () => {
    const configFile = mountOf(jaeger!, '/etc/jaeger/config.yaml');
    expect(jaeger!.command).toEqual(['--config=/etc/jaeger/config.yaml']);
    const config = parse(read(configFile)) as {
      service: { pipelines: Record<string, { receivers: string[]; exporters: string[] }> };
      extensions: {
        jaeger_query: { storage: { metrics: string } };
        jaeger_storage: { metric_backends: Record<string, { prometheus: { endpoint: string } }> };
      };
      exporters: { prometheus: { endpoint: string } };
    };
    const { pipelines } = config.service;
    expect(pipelines.traces!.exporters).toContain('spanmetrics');
    expect(pipelines['metrics/spanmetrics']).toEqual({
      receivers: ['spanmetrics'],
      exporters: ['prometheus'],
    });
    expect(config.exporters.prometheus.endpoint).toBe('0.0.0.0:8889');
    const backend = config.extensions.jaeger_query.storage.metrics;
    expect(config.extensions.jaeger_storage.metric_backends[backend]!.prometheus.endpoint).toBe(
      'http://prometheus:9090',
    );
  });

  it('provisions Grafana with Prometheus and the dashboard', () => {
    const provisioning = mountOf(grafana!, '/etc/grafana/provisioning');
    const datasources = parse(read(`${provisioning}/datasources/prometheus.yml`)) as {
      datasources: { uid: string; url: string }[];
    };
    expect(datasources.datasources[0]).toMatchObject({
      uid: 'prometheus',
      url: 'http://prometheus:9090',
    });
    const dashboards = mountOf(grafana!, '/var/lib/grafana/dashboards');
    const provider = parse(read(`${provisioning}/dashboards/traced-agent.yml`)) as {
      providers: { options: { path: string } }[];
    };
    expect(provider.providers[0]!.options.path).toBe('/var/lib/grafana/dashboards');
    const dashboard = JSON.parse(read(`${dashboards}/traced-agent.json`)) as {
      panels: { title: string; datasource: { uid: string } }[];
    };
    expect(dashboard.panels.every((panel) => panel.datasource.uid === 'prometheus')).toBe(true);
  });
});
