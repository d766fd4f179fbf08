import { Admission } from '../http/admission/admission';
import { admissionBounds } from '../http/admission/admission-bounds';
import { processMemoryLimits } from '../http/admission/memory-limits';
import { monitorPressure } from '../http/admission/pressure';
import { AdmissionRecorder } from '../tracing/recorders/admission-recorder';

/**
 * This process's admission: bounds derived from its memory limits (`maxRunsInFlight`, from
 * `MAX_CONCURRENT_RUNS`, replaces the derived cap), its own pressure, and its telemetry.
 */
export function createAdmission(maxRunsInFlight: number | undefined): Admission {
  const pressure = monitorPressure();
  const recorder = new AdmissionRecorder({
    eventLoopDelayMs: () => pressure.eventLoopDelayMs,
    inFlight: () => admission.inFlight,
  });
  const admission = new Admission({
    bounds: admissionBounds(processMemoryLimits(), maxRunsInFlight),
    pressure,
    onRefused: (reason) => recorder.refused(reason),
  });
  return admission;
}
