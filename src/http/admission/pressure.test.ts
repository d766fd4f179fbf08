import { monitorPressure } from './pressure';
import { until } from '../../../test/support/until';

/** Holds the event loop `times` turns of `ms` each, letting it turn once between them. */
async function holdLoop(times: number, ms: number): Promise<void> {
  for (let held = 0; held < times; held++) {
    const end = Date.now() + ms;
    while (Date.now() < end);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('monitorPressure', () => {
  it('reads its memory', () => {
    const pressure = monitorPressure(200);
    expect(pressure.heapUsedBytes).toBeGreaterThan(0);
    expect(pressure.rssBytes).toBeGreaterThan(pressure.heapUsedBytes);
  });

  // Turns shorter than the 200 ms window (the percentile sees them), and longer (a window with
  // one tick or none, which a percentile alone read as calm).
  it.each([
    ['100 ms turns, shorter than the window', 8, 100],
    ['500 ms turns, longer than the window', 3, 500],
  ])("reads this process's own event-loop delay over the last window: %s", async (_, times, ms) => {
    const pressure = monitorPressure(200);
    await holdLoop(times, ms);
    await until(() => pressure.eventLoopDelayMs > 50, 'a delay over 50 ms', 2_000);
    // Each window has its own reading: the next ones forget the held loop.
    await until(() => pressure.eventLoopDelayMs < 50, 'a calm window', 2_000);
  });

  it('reads one pause longer than the window, as a start-up or a frozen process makes, as calm', async () => {
    const pressure = monitorPressure(500);
    await holdLoop(1, 1_500);
    const readings: number[] = [];
    const end = Date.now() + 1_500;
    while (Date.now() < end) {
      readings.push(pressure.eventLoopDelayMs);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(Math.max(...readings)).toBeLessThan(50);
  });
});
