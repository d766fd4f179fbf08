import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { startGeminiEmulator, type GeminiEmulator } from '../../src/emulator/emulator-server';
import { describeWithComponent } from '../support/needs-component';
import {
  freePort,
  ROOT,
  spawnService,
  stopAllServices,
  type SpawnedService,
} from '../support/spawn-service';

/**
 * A real Prometheus server (Debian's `prometheus`) scrapes a running agent service, and every
 * PromQL expression of the Grafana dashboard (and of any rules file) evaluates without error and
 * returns data: a renamed metric or label cannot leave a panel silently empty.
 */
const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const INSTALL = 'apt-get update && apt-get install -y prometheus';
const DASHBOARDS = path.join(ROOT, 'observability/grafana/dashboards');
const RULES = path.join(ROOT, 'observability/rules');
const hasPrometheus = existsSync(PROMETHEUS);

interface Dashboard {
  panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
}

interface RuleFile {
  groups: Array<{ rules: Array<{ record?: string; alert?: string; expr: string }> }>;
}

/** The rules files the compose Prometheus loads (`rule_files` in observability/prometheus.yml). */
function ruleFiles(): string[] {
  return existsSync(RULES)
    ? readdirSync(RULES)
        .filter((file) => file.endsWith('.yml'))
        .map((file) => path.join(RULES, file))
    : [];
}

function ruleExpressions(): Array<[string, string]> {
  return ruleFiles().flatMap((file) =>
    (parse(readFileSync(file, 'utf8')) as RuleFile).groups.flatMap((group) =>
      group.rules.map((rule): [string, string] => [
        `${path.basename(file)}: ${rule.record ?? rule.alert}`,
        rule.expr,
      ]),
    ),
  );
}

/** Every expression to check, with where it comes from. */
function expressions(): Array<[string, string]> {
  const fromDashboards = readdirSync(DASHBOARDS).flatMap((file) => {
    const dashboard = JSON.parse(readFileSync(path.join(DASHBOARDS, file), 'utf8')) as Dashboard;
    return dashboard.panels.flatMap((panel) =>
      (panel.targets ?? []).map((target): [string, string] => [
        `${file}: ${panel.title}`,
        target.expr,
      ]),
    );
  });
  return [...fromDashboards, ...ruleExpressions()];
}

describeWithComponent(
  "the dashboard's queries, on a real Prometheus",
  {
    missing: hasPrometheus ? undefined : `no Prometheus binary at ${PROMETHEUS}`,
    install: INSTALL,
  },
  () => {
    let emulator: GeminiEmulator;
    let service: SpawnedService;
    let prometheus: ChildProcess;
    let prometheusUrl: string;
    let dataDir: string;

    const query = async (expr: string) => {
      const url = `${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`;
      return (await (await fetch(url)).json()) as {
        status: string;
        error?: string;
        data?: { result: unknown[] };
      };
    };

    /** Until `check` holds, or fails with what it last saw. */
    const waitFor = async (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (await check().catch(() => false)) return;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error(`timed out waiting for ${what}`);
    };

    beforeAll(async () => {
      emulator = await startGeminiEmulator();
      const metricsPort = await freePort();
      service = await spawnService({
        env: {
          GEMINI_API_KEY: 'test-key-for-the-emulator',
          GEMINI_BASE_URL: emulator.url,
          OTEL_TRACES_EXPORTER: 'none',
          OTEL_METRICS_EXPORTER: 'prometheus',
          OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
          OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
        },
      });
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'prometheus-'));
      writeFileSync(
        path.join(dataDir, 'prometheus.yml'),
        [
          'global: { scrape_interval: 1s, evaluation_interval: 1s }',
          // The repository's rules too: a rules file Prometheus refuses fails the test below.
          `rule_files: ${JSON.stringify(ruleFiles())}`,
          'scrape_configs:',
          '  - job_name: agent-service',
          `    static_configs: [{ targets: ['127.0.0.1:${metricsPort}'] }]`,
          '',
        ].join('\n'),
      );
      const port = await freePort();
      prometheusUrl = `http://127.0.0.1:${port}`;
      prometheus = spawn(
        PROMETHEUS,
        [
          `--config.file=${path.join(dataDir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${path.join(dataDir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
        ],
        { stdio: 'ignore' },
      );
      // Every panel has something to show: runs with tools, a tool that fails, a retried call.
      const execute = (task: string) =>
        request(service.url).post('/api/v1/agent/execute').send({ task }).expect(200);
      await execute('Calculate 17 * 23 and search the knowledge base for context propagation');
      emulator.enqueue(
        { kind: 'error', status: 503 },
        {
          kind: 'turn',
          parts: [{ functionCall: { name: 'calculator', args: { expression: '1/' } } }],
        },
        { kind: 'turn', parts: [{ text: 'That expression is not valid.' }] },
      );
      await execute('Calculate 1/');
      // Two scrapes after the requests, so that rate() has two samples.
      await waitFor('two scrapes of the service', async () => {
        const result = await query('count_over_time(gen_ai_client_operation_duration_count[1m])');
        return result.data?.result.length !== 0 &&
          (await query('up == 1')).data?.result.length === 1
          ? Number((result.data!.result[0] as { value: [number, string] }).value[1]) >= 3
          : false;
      });
    }, 60_000);

    afterAll(async () => {
      prometheus?.kill('SIGTERM');
      await stopAllServices();
      await emulator?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('finds the expressions to check, the dashboard’s and the rules’', () => {
      expect(expressions().length).toBeGreaterThanOrEqual(9 + 4);
    });

    it('loads every rules file, and evaluates every rule without error', async () => {
      type Rules = { data: { groups: Array<{ rules: Array<{ name: string; health: string }> }> } };
      const loaded = async () =>
        (
          (await (await fetch(`${prometheusUrl}/api/v1/rules`)).json()) as Rules
        ).data.groups.flatMap((group) => group.rules);
      // Health is "unknown" until a rule's first evaluation (every second here).
      await waitFor('every rule evaluated once', async () =>
        (await loaded()).every((rule) => rule.health !== 'unknown'),
      );
      const rules = await loaded();
      expect(rules).toHaveLength(ruleExpressions().length);
      for (const rule of rules) expect(rule).toMatchObject({ health: 'ok' });
    });

    it.each(expressions())('evaluates %s and returns data', async (_where, expr) => {
      const result = await query(expr);
      expect(result.error).toBeUndefined();
      expect(result.status).toBe('success');
      expect(result.data!.result.length).toBeGreaterThan(0);
    });
  },
);
