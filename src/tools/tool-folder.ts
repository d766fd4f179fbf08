import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Tool } from './tool';

/** A module of a tool folder: source under Jest, JavaScript once built; never a test or a map. */
function isToolModule(file: string): boolean {
  return /\.(ts|js)$/.test(file) && !/\.(test|d)\.ts$/.test(file) && !file.endsWith('.test.js');
}

/**
 * A build's leftover: JavaScript compiled from a source since deleted or renamed, which `tsc -b`
 * never removes. Told by its source map when the sources stand beside the build (a checkout); an
 * image that ships the build alone has no sources to compare with, and no leftovers either.
 */
function isLeftFromDeletedSource(file: string): boolean {
  const map = `${file}.map`;
  if (!file.endsWith('.js') || !existsSync(map)) return false;
  const { sources = [] } = JSON.parse(readFileSync(map, 'utf8')) as { sources?: string[] };
  const source = sources[0] === undefined ? undefined : path.resolve(path.dirname(map), sources[0]);
  return source !== undefined && existsSync(path.dirname(source)) && !existsSync(source);
}

function isTool(value: unknown): value is Tool {
  if (typeof value !== 'object' || value === null) return false;
  const tool = value as Partial<Tool>;
  return (
    typeof tool.name === 'string' &&
    typeof tool.description === 'string' &&
    typeof tool.run === 'function' &&
    typeof tool.argumentsSchema?.safeParse === 'function'
  );
}

const named = (file: string) => path.relative(process.cwd(), file);

/** A module's exports; an error while it loads names the module, which its message seldom does. */
function exportsOf(file: string): Record<string, unknown> {
  try {
    // Found at run time, by design: the folder is the list. Modules load once, as an import would.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${named(file)} failed to load: ${reason}`, { cause: error });
  }
}

function toolOf(file: string): Tool {
  const tools = [...new Set(Object.values(exportsOf(file)).filter(isTool))];
  if (tools.length !== 1)
    throw new Error(
      `${named(file)} exports ${tools.length} tools: each module of a ` +
        'tool folder exports one (defineTool), and nothing else belongs in the folder',
    );
  return tools[0]!;
}

/** Two modules declaring one name: the registry would refuse the name, but not say where. */
function refuseDuplicateNames(tools: readonly Tool[], files: readonly string[]): void {
  const firstFile = new Map<string, string>();
  tools.forEach(({ name }, index) => {
    const earlier = firstFile.get(name);
    if (earlier !== undefined)
      throw new Error(`${named(earlier)} and ${named(files[index]!)} both declare tool ${name}`);
    firstFile.set(name, files[index]!);
  });
}

/**
 * The tools of a folder, one per module, in the order of their file names: adding a tool is adding
 * its file, deleting it removes the tool. A module that exports no tool, or several, ends start-up
 * naming the file, so that no file in the folder is ever half a tool, silently left out.
 */
export function loadToolFolder(folder: string): Tool[] {
  const files = readdirSync(folder)
    .filter(isToolModule)
    .sort()
    .map((file) => path.join(folder, file))
    .filter((file) => !isLeftFromDeletedSource(file));
  const tools = files.map(toolOf);
  refuseDuplicateNames(tools, files);
  return tools;
}
