import { metrics, trace, ValueType, type Meter } from '@opentelemetry/api';
import * as semconv from '../semconv';

/** What admission knows, read only when metrics are collected. */
export interface AdmissionReadings {
  /** The event loop's 90th-percentile delay over the last window, in ms. */
  eventLoopDelayMs(): number;
  /** Runs admitted and not yet answered. */
  inFlight(): number;
}

/**
 * Admission's telemetry (src/http/admission/): each refusal counted by its reason and named on the
 * refused request's server span, so a trace says why it was answered 503 (the server's edge, which
 * refuses a request pipelined past its connection's maximum in flight, is counted here too); the
 * event loop's delay and the runs in flight as gauges, read at collection, so admitting a run
 * records nothing. No wait is recorded: admission never makes a run wait.
 */
export class AdmissionRecorder {
  private readonly refusals;

  constructor(readings: AdmissionReadings, meter: Meter = metrics.getMeter('traced-agent')) {
    this.refusals = meter.createCounter(semconv.METRIC_AGENT_ADMISSION_REFUSALS, {
      unit: '{request}',
      description:
        'Requests refused with 503 overloaded, by reason (agent.admission.refusal_reason).',
      valueType: ValueType.INT,
    });
    meter
      .createObservableUpDownCounter(semconv.METRIC_AGENT_ADMISSION_IN_FLIGHT, {
        unit: '{run}',
        description: 'Runs admitted and not yet answered (in the tool service, MCP requests).',
        valueType: ValueType.INT,
      })
      .addCallback((result) => result.observe(readings.inFlight()));
    meter
      .createObservableGauge(semconv.METRIC_NODEJS_EVENTLOOP_DELAY_P90, {
        unit: 's',
        description: "The event loop's 90th-percentile delay over the last second.",
      })
      .addCallback((result) => result.observe(readings.eventLoopDelayMs() / 1000));
  }

  /**
   * A request refused: counted, and named on its server span, which is the active span where
   * routes run (the express instrumentation's own spans are off) and where the edge answers.
   */
  refused(reason: string): void {
    this.refusals.add(1, { [semconv.ATTR_AGENT_ADMISSION_REFUSAL_REASON]: reason });
    trace.getActiveSpan()?.setAttribute(semconv.ATTR_AGENT_ADMISSION_REFUSAL_REASON, reason);
  }
}
