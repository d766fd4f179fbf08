import net from 'node:net';
import { until } from '../../../test/support/until';
import { RateLimitedLog } from '../setup/exporter-log';
import { createPrometheusReader } from './prometheus-reader';

type Line = [level: string, message: string, fields: Record<string, unknown>];

/** Starts a reader on `host:port` and returns the lines it logged once it has logged one. */
async function linesOfReaderOn(host: string, port: number): Promise<Line[]> {
  const lines: Line[] = [];
  const log = new RateLimitedLog(30_000, (level, message, fields = {}) => {
    lines.push([level, message, fields]);
  });
  const reader = createPrometheusReader({ host, port }, log);
  try {
    await until(() => lines.length > 0, 'a line about the listener');
  } finally {
    // Shutting down a listener that never started must not fail either.
    await reader.shutdown();
  }
  return lines;
}

describe('the Prometheus reader', () => {
  it('says in one warning line that its port is in use and which variable to change', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as net.AddressInfo;
    try {
      const lines = await linesOfReaderOn('127.0.0.1', port);
      expect(lines).toEqual([
        [
          'warn',
          `Metrics are not served: port ${port} is in use (another service, or another copy of this one); set OTEL_EXPORTER_PROMETHEUS_PORT to a free port, or OTEL_METRICS_EXPORTER=none`,
          { address: `127.0.0.1:${port}` },
        ],
      ]);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('names the host variable when the address is not one of this machine', async () => {
    // 192.0.2.0/24 is reserved for documentation: no machine has it.
    const [[level, message]] = (await linesOfReaderOn('192.0.2.1', 9464)) as [Line];
    expect(level).toBe('warn');
    expect(message).toBe(
      'Metrics are not served: cannot listen on 192.0.2.1:9464 (EADDRNOTAVAIL); set OTEL_EXPORTER_PROMETHEUS_HOST or OTEL_EXPORTER_PROMETHEUS_PORT, or OTEL_METRICS_EXPORTER=none',
    );
  });
});
