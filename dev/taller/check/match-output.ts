/**
 * Compares what the guide shows with what the command printed, by shape: the same lines, in the
 * same order, with the same names and counts. What differs on every run is set aside: durations,
 * trace and span ids, clocks, ports, process ids, host names; and the numbers a step declares as
 * varying, within that step's bounds. A tree's branches count as depth only: whether a span is its
 * parent's last child (`└─` or `├─`) depends on which siblings a run kept (2.1 filters by
 * duration). The guide may cut: a line of only `...` (or `…`, after the tree's bars) stands for
 * any lines; every other run of lines must appear unbroken.
 */
export interface Variation {
  /** The line's text, the varying part captured. */
  pattern: RegExp;
  /** Bounds for a captured number; without them, the captured text may be anything. */
  min?: number;
  max?: number;
}

const NORMALIZERS: readonly [RegExp, string][] = [
  [/\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\b/g, '‹date›'],
  [/\b\d\d:\d\d:\d\d\b/g, '‹clock›'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '‹uuid›'],
  [/\b[0-9a-f]{32}\b/g, '‹trace id›'],
  [/\b[0-9a-f]{16}\b/g, '‹span id›'],
  [/\b(?:127\.0\.0\.1|0\.0\.0\.0|localhost):\d+/g, '‹host›:‹port›'],
  [/\b\d+(?:\.\d+)? ?(?:ms|s)\b/g, '‹duration›'],
  [/(process\.pid = |"pid":|pid=)\d+/g, '$1‹pid›'],
  [/("time":)\d+/g, '$1‹time›'],
  [/(\.port = )\d+/g, '$1‹port›'],
  // Derived from the machine's memory (src/http/admission/): the same on no two laptops.
  [/(maxRunsInFlight=|"maxRunsInFlight":)\d+/g, '$1‹runs›'],
  [/(host\.name = |"hostname":"?)[\w.-]+/g, '$1‹host›'],
  [/\s+/g, ' '],
];

/** The bars and branches before a span's name (or an attribute), by their width alone. */
const TREE_PREFIX = /^[│├└─ ]+(?=\S)/;

export function normalizeLine(line: string): string {
  let text = line.replace(TREE_PREFIX, (prefix) => `‹${prefix.length}›`);
  for (const [pattern, replacement] of NORMALIZERS) text = text.replace(pattern, replacement);
  return text.trim();
}

const isCut = (line: string) => /^[│├└─\s]*(\.\.\.|…)$/.test(line);

/** The lines of a variation's number, checked against its bounds and replaced by `‹n›`. */
function setAsideVariations(
  lines: string[],
  variations: readonly Variation[],
  where: string,
  problems: string[],
): string[] {
  return lines.map((line) => {
    let text = line;
    for (const { pattern, min, max } of variations) {
      const match = pattern.exec(text);
      if (!match) continue;
      const value = Number(match[1]);
      if (min !== undefined && max !== undefined && !(value >= min && value <= max))
        problems.push(`${where}: ${value} is outside ${min}..${max} in "${line.trim()}"`);
      const start = match.index + match[0].indexOf(match[1]!);
      text = `${text.slice(0, start)}‹n›${text.slice(start + match[1]!.length)}`;
    }
    return text;
  });
}

export interface Comparison {
  matches: boolean;
  problems: string[];
}

/** Where `segment` runs unbroken in `lines`, from `from` on; -1 if nowhere. */
function findRun(lines: readonly string[], segment: readonly string[], from: number): number[] {
  const starts: number[] = [];
  for (let start = from; start + segment.length <= lines.length; start++)
    if (segment.every((line, offset) => lines[start + offset] === line)) starts.push(start);
  return starts;
}

function placeSegments(
  lines: readonly string[],
  segments: readonly string[][],
  from: number,
): boolean {
  if (!segments.length) return true;
  const [first, ...rest] = segments;
  return findRun(lines, first!, from).some((start) =>
    placeSegments(lines, rest, start + first!.length),
  );
}

/** Which part of the guide's output the run did not print, as shown and where it was expected. */
function describeMismatch(lines: readonly string[], segments: readonly string[][]): string {
  let from = 0;
  for (const segment of segments) {
    const [start] = findRun(lines, segment, from);
    if (start === undefined) {
      const missing = segment.filter((line) => !lines.includes(line));
      const quoted = (missing.length ? missing : segment).slice(0, 3).map((line) => `"${line}"`);
      return missing.length
        ? `lines the run did not print: ${quoted.join(', ')}`
        : `these lines are printed, but not unbroken or not in this order (cut with a line "..."): ${quoted.join(', ')}`;
    }
    from = start + segment.length;
  }
  return 'the lines are all there, but not in this order';
}

export function compareOutput(
  shown: string,
  actual: string,
  variations: readonly Variation[] = [],
): Comparison {
  const problems: string[] = [];
  const shownLines = setAsideVariations(shown.split('\n'), variations, 'the guide', problems);
  const actualLines = setAsideVariations(actual.split('\n'), variations, 'the run', problems)
    .map(normalizeLine)
    .filter((line) => line !== '');
  const segments: string[][] = [[]];
  for (const line of shownLines) {
    if (isCut(line)) segments.push([]);
    else if (line.trim() !== '') segments.at(-1)!.push(normalizeLine(line));
  }
  const nonEmpty = segments.filter((segment) => segment.length);
  if (!placeSegments(actualLines, nonEmpty, 0))
    problems.push(describeMismatch(actualLines, nonEmpty));
  return { matches: problems.length === 0, problems };
}
