/**
 * A service's console as its terminal shows it, to print after a step: everything, or (`summary`)
 * everything but the trees and the request lines, which are counted instead (a hundred of each
 * would bury the lines that say what happened).
 */
export type ConsoleView = 'all' | 'summary';

/** A request's log line: pino-http's JSON, or its short line in development. */
const REQUEST_LINE =
  /"responseTime":|^\d\d:\d\d:\d\d \w+ +(GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH) \/\S* (\d{3}|\(.*\))/;

export function consoleLines(output: string, view: ConsoleView): string[] {
  const lines = output.replace(/\n+$/, '').split('\n');
  if (view === 'all') return lines;
  const shown: string[] = [];
  let inTree = false;
  let trees = 0;
  let requests = 0;
  for (const line of lines) {
    if (line.startsWith('Trace ')) {
      inTree = true;
      trees += 1;
    } else if (inTree && line === '') inTree = false;
    else if (!inTree && REQUEST_LINE.test(line)) requests += 1;
    else if (!inTree) shown.push(line);
  }
  shown.push(`(not shown here: ${requests} request log lines, ${trees} trace trees)`);
  return shown;
}

/** The values of one attribute on the trees' lines (`TRACE_TREE_ATTRIBUTES=true`), in order. */
export function attributeValues(output: string, name: string): string[] {
  return [
    ...output.matchAll(new RegExp(`^[│ ]*\\s${name.replace(/\./g, '\\.')} = (\\S+)$`, 'gm')),
  ].map((match) => match[1]!);
}
