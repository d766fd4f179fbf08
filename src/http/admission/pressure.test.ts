import { monitorPressure } from './pressure';
import { until } from '../../../test/support/until';

describe('monitorPressure', () => {
  it("reads this process's own event-loop delay over the last window, and its memory", async () => {
    const pressure = monitorPressure(200);
    expect(pressure.heapUsedBytes).toBeGreaterThan(0);
    expect(pressure.rssBytes).toBeGreaterThan(pressure.heapUsedBytes);

    // The loop held 100 ms at a time, for most of a second: the window that saw it says so.
    for (let held = 0; held < 8; held++) {
      const until = Date.now() + 100;
      while (Date.now() < until);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await until(() => pressure.eventLoopDelayMs > 50, 'a delay over 50 ms', 2_000);
    // Each window has its own percentile: the next ones forget the held loop.
    await until(() => pressure.eventLoopDelayMs < 50, 'a calm window', 2_000);
  });
});
