import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Tool } from './tool';

/** A tool's module: source under Jest, JavaScript once built. */
const TOOL_MODULE = /\.(ts|js)$/;
/** What stands beside a tool's module: its test, its source map, its type declarations. */
const BESIDE_A_TOOL = /\.(test\.(ts|js)|d\.ts|map)$/;
/** Code of another kind, which would never be loaded: refused rather than silently left out. */
const OTHER_CODE = /\.[cm]?[jt]sx?$/i;

/**
 * The source a built module was compiled from, when its source map says so and the sources stand
 * beside the build (a checkout); an image that ships the build alone has no sources to name.
 */
function sourceOf(file: string): { path: string; exists: boolean } | undefined {
  const map = `${file}.map`;
  if (!file.endsWith('.js') || !existsSync(map)) return undefined;
  const { sources = [] } = JSON.parse(readFileSync(map, 'utf8')) as { sources?: string[] };
  if (sources[0] === undefined) return undefined;
  const source = path.resolve(path.dirname(map), sources[0]);
  return existsSync(path.dirname(source))
    ? { path: source, exists: existsSync(source) }
    : undefined;
}

/** The file a student edits: the source of a built module when there is one, else the module. */
const named = (file: string) => path.relative(process.cwd(), sourceOf(file)?.path ?? file);

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

/** A module's exports; an error while it loads names the module, which its message seldom does. */
function exportsOf(file: string): unknown {
  try {
    // Found at run time, by design: the folder is the list. Modules load once, as an import would.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${named(file)} failed to load: ${reason}`, { cause: error });
  }
}

function toolOf(file: string): Tool {
  const exported = exportsOf(file);
  // `export const x = defineTool(...)`, or a module that is the tool (`module.exports = tool`).
  const values = isTool(exported) ? [exported] : Object.values(exported ?? {});
  const tools = [...new Set(values.filter(isTool))];
  if (tools.length !== 1)
    throw new Error(
      `${named(file)} exports ${tools.length} tools: each module of a tool folder exports one ` +
        '(defineTool), and nothing else belongs in the folder',
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

/** The folder's tool modules; a folder, or code no tool folder runs, is refused by name. */
function toolModulesIn(folder: string): string[] {
  const modules: string[] = [];
  for (const name of readdirSync(folder).sort()) {
    const file = path.join(folder, name);
    if (BESIDE_A_TOOL.test(name)) continue;
    const stats = statSync(file);
    const isModule = TOOL_MODULE.test(name) && stats.isFile();
    if (!isModule && (OTHER_CODE.test(name) || stats.isDirectory()))
      throw new Error(
        `${named(file)} is not a tool module: a tool folder holds one .ts file per tool (built to ` +
          '.js), with its test, and no folders',
      );
    // A build's leftover: compiled from a source since deleted or renamed (`tsc -b` never
    // removes an output).
    if (isModule && sourceOf(file)?.exists !== false) modules.push(file);
  }
  return modules;
}

/**
 * The tools of a folder, one per module, in the order of their file names: adding a tool is adding
 * its file, deleting it removes the tool. A module that exports no tool, or several, ends start-up
 * naming the file, so that no file in the folder is ever half a tool, silently left out.
 */
export function loadToolFolder(folder: string): Tool[] {
  const files = toolModulesIn(folder);
  const tools = files.map(toolOf);
  refuseDuplicateNames(tools, files);
  return tools;
}
