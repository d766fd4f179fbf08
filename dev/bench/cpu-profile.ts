/**
 * What a V8 CPU profile (`node --cpu-prof`) says about where the time goes, by package and by
 * function.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds. */
  startTime: number;
  endTime: number;
  samples: number[];
  /** Microseconds since the previous sample. */
  timeDeltas: number[];
}

export interface ProfileShare {
  name: string;
  ms: number;
  /** Of the busy time (idle excluded). */
  percent: number;
}

export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  /** Every package, most time first. */
  byPackage: ProfileShare[];
  /** The `top` functions, most time first. */
  byFunction: ProfileShare[];
}

/**
 * Which package a frame belongs to: a node_modules package, our own code, Node's internals, or V8's
 * own bookkeeping.
 */
function packageOf({ url, functionName }: ProfileNode['callFrame']): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) {
    // node:internal/deps/undici/undici → node: undici; node:_http_server → node: http;
    // node:internal/streams/… → node: streams
    const module = url
      .replace(/^node:(internal\/)?(deps\/)?/, '')
      .split('/')[0]!
      .replace(/^_/, '')
      .replace(/^(http|stream)_.*$/, '$1');
    return `node: ${module}`;
  }
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [first = '', second = ''] = url.slice(modules + '/node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  if (url.includes('/dist/')) return 'traced-agent (ours)';
  return url;
}

function shares(times: Map<string, number>, busyMs: number, top: number): ProfileShare[] {
  return [...times.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => ({
      name,
      ms: Math.round(ms),
      percent: Math.round((ms / busyMs) * 1000) / 10,
    }));
}

/**
 * Self time per node, counting only the samples taken `fromMs` or later after the profile started
 * (warm-up excluded).
 */
function selfTimeMs(profile: CpuProfile, fromMs: number): Map<number, number> {
  const times = new Map<number, number>();
  let elapsedUs = 0;
  profile.samples.forEach((nodeId, index) => {
    const deltaUs = profile.timeDeltas[index] ?? 0;
    elapsedUs += deltaUs;
    if (elapsedUs / 1000 >= fromMs) times.set(nodeId, (times.get(nodeId) ?? 0) + deltaUs / 1000);
  });
  return times;
}

export function summarizeProfile(
  profile: CpuProfile,
  { fromMs = 0, top = 12 } = {},
): ProfileSummary {
  const times = selfTimeMs(profile, fromMs);
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let idleMs = 0;
  for (const node of profile.nodes) {
    const ms = times.get(node.id) ?? 0;
    if (!ms) continue;
    if (node.callFrame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const pkg = packageOf(node.callFrame);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
    const file = node.callFrame.url.split('/').slice(-2).join('/');
    const name =
      `${node.callFrame.functionName || '(anonymous)'} ${file ? `(${pkg === file ? file : `${pkg}: ${file}`})` : ''}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
  }
  const busyMs = [...byPackage.values()].reduce((sum, ms) => sum + ms, 0) || 1;
  return {
    busyMs: Math.round(busyMs),
    idleMs: Math.round(idleMs),
    byPackage: shares(byPackage, busyMs, Number.POSITIVE_INFINITY),
    byFunction: shares(byFunction, busyMs, top),
  };
}
