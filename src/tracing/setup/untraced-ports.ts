/**
 * Local servers whose incoming requests must not be traced: the in-process Gemini emulator
 * stands in for a remote API, so its side of the call is not part of our service's trace.
 * The HTTP instrumentation's ignore hook reads this set. A module-level set, because the SDK is
 * started by the `--require` preload before the application exists: the composition code marks
 * the emulator's port here, and the hook, made earlier, finds it.
 */
const untracedPorts = new Set<number>();

export function markPortUntraced(port: number): void {
  untracedPorts.add(port);
}

export function unmarkPortUntraced(port: number): void {
  untracedPorts.delete(port);
}

export function isPortUntraced(port: number | undefined): boolean {
  return port !== undefined && untracedPorts.has(port);
}
