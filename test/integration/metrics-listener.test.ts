import request from 'supertest';
import { holdPort } from '../support/hold-port';
import { freePort, spawnService, stopAllServices } from '../support/spawn-service';
import { until } from '../support/until';

/**
 * Where the real service's Prometheus endpoint listens, and what happens when it cannot. Another
 * address of this machine: Linux routes all of 127.0.0.0/8 to the loopback interface, so a listener
 * on every interface answers at 127.0.0.2 and one on 127.0.0.1 does not.
 */
const OTHER_ADDRESS = '127.0.0.2';

afterAll(() => stopAllServices());

const prometheusOn = (port: number, env: Record<string, string> = {}) => ({
  OTEL_TRACES_EXPORTER: 'none',
  OTEL_METRICS_EXPORTER: 'prometheus',
  OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
  ...env,
});
const scrapeStatus = async (host: string, port: number) =>
  (await fetch(`http://${host}:${port}/metrics`)).status;

describe('the metrics listener', () => {
  it('listens where the service does (HOST=127.0.0.1), not on every interface', async () => {
    const port = await freePort();
    const service = await spawnService({ env: { HOST: '127.0.0.1', ...prometheusOn(port) } });
    expect(await scrapeStatus('127.0.0.1', port)).toBe(200);
    await expect(scrapeStatus(OTHER_ADDRESS, port)).rejects.toThrow();
    await service.stop();
  });

  it('listens where OTEL_EXPORTER_PROMETHEUS_HOST says, whatever HOST says', async () => {
    const port = await freePort();
    const env = prometheusOn(port, {
      HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_HOST: OTHER_ADDRESS,
    });
    const service = await spawnService({ env });
    expect(await scrapeStatus(OTHER_ADDRESS, port)).toBe(200);
    await expect(scrapeStatus('127.0.0.1', port)).rejects.toThrow();
    await service.stop();
  });

  it('serves the API when its port is taken, and says so in one warning line naming the variable', async () => {
    const held = await holdPort();
    try {
      const service = await spawnService({ env: prometheusOn(held.port) });
      await request(service.url)
        .post('/api/v1/agent/execute')
        .send({ task: 'Calculate 2 + 2' })
        .expect(200);
      await until(() => service.output().includes('Metrics are not served'), 'the warning');
      const lines = service.output().trimEnd().split('\n');
      const about = lines.filter((line) => line.includes('Metrics are not served'));
      expect(about).toHaveLength(1);
      expect(JSON.parse(about[0]!)).toMatchObject({
        level: 40,
        msg: expect.stringContaining(
          `port ${held.port} is in use (another service, or another copy of this one); set OTEL_EXPORTER_PROMETHEUS_PORT to a free port`,
        ) as string,
      });
      // Nothing at error level, no stack.
      expect(lines.filter((line) => line.includes('"level":50'))).toEqual([]);
      expect(service.output()).not.toMatch(/^\s+at /m);
      expect(await service.stop()).toBe(0);
    } finally {
      await held.release();
    }
  });
});
