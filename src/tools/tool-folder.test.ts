import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAgentToolRegistry, IN_PROCESS_TOOLS_FOLDER } from '.';
import { loadToolFolder } from './tool-folder';

/** A tool module as the build writes one: CommonJS, a zod-like schema, one exported tool. */
const toolModule = (name: string, exportName = 'tool') => `
  exports.${exportName} = {
    name: '${name}',
    description: 'The ${name} tool.',
    argumentsSchema: { safeParse: (value) => ({ success: true, data: value }) },
    run: () => ({ ran: '${name}' }),
  };`;

describe('a tool folder', () => {
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(path.join(os.tmpdir(), 'tool-folder-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));
  const write = (file: string, text: string) => writeFileSync(path.join(folder, file), text);

  it('holds one tool per module, in the order of their file names', () => {
    write('word-count.js', toolModule('word_count'));
    write('add.js', toolModule('add'));

    expect(loadToolFolder(folder).map((tool) => tool.name)).toEqual(['add', 'word_count']);
  });

  it('leaves out tests, type declarations and source maps', () => {
    write('add.js', toolModule('add'));
    write('add.test.js', 'throw new Error("a test is not a tool");');
    write('add.test.ts', 'throw new Error("a test is not a tool");');
    write('add.d.ts', 'export declare const tool: unknown;');
    write('add.js.map', '{}');

    expect(loadToolFolder(folder).map((tool) => tool.name)).toEqual(['add']);
  });

  it('ends start-up naming a module that exports no tool, rather than leave it out', () => {
    write('add.js', toolModule('add'));
    write('notes.js', 'exports.notes = { name: "not a tool: it cannot run" };');

    expect(() => loadToolFolder(folder)).toThrow(/notes\.js exports 0 tools: each module .* one/);
  });

  it('ends start-up naming a module that exports two tools', () => {
    write('pair.js', toolModule('first', 'first') + toolModule('second', 'second'));

    expect(() => loadToolFolder(folder)).toThrow(/pair\.js exports 2 tools/);
  });

  it('counts a module that is itself the tool (module.exports = tool)', () => {
    write('add.js', toolModule('add').replace('exports.tool =', 'module.exports ='));

    expect(loadToolFolder(folder).map((tool) => tool.name)).toEqual(['add']);
  });

  it.each([['add.mjs'], ['add.cjs'], ['add.tsx'], ['ADD.JS']])(
    'ends start-up naming %s, code a tool folder would never load',
    (file) => {
      write(file, toolModule('add'));

      expect(() => loadToolFolder(folder)).toThrow(
        new RegExp(`${file.replace('.', '\\.')} is not a tool module`),
      );
    },
  );

  it('ends start-up naming a folder inside the tool folder', () => {
    mkdirSync(path.join(folder, 'helpers'));

    expect(() => loadToolFolder(folder)).toThrow(/helpers is not a tool module: .* no folders/);
  });

  it("ignores what is not code: an editor's or a file manager's files, notes", () => {
    write('add.js', toolModule('add'));
    write('.DS_Store', '');
    write('README.md', '# notes');

    expect(loadToolFolder(folder).map((tool) => tool.name)).toEqual(['add']);
  });

  describe('built with source maps', () => {
    // A checkout's layout: build/ compiled from src/, each module's map naming its source.
    const build = () => path.join(folder, 'build');
    const built = (name: string) => {
      writeFileSync(path.join(build(), `${name}.js`), toolModule(name));
      const map = { version: 3, sources: [`../src/${name}.ts`] };
      writeFileSync(path.join(build(), `${name}.js.map`), JSON.stringify(map));
    };
    beforeEach(() => {
      mkdirSync(build());
      built('add');
      built('renamed');
    });

    it('leaves out what a deleted or renamed source left in the build', () => {
      mkdirSync(path.join(folder, 'src'));
      writeFileSync(path.join(folder, 'src', 'add.ts'), '');

      expect(loadToolFolder(build()).map((tool) => tool.name)).toEqual(['add']);
    });

    it('names the source a student edits, not its build, when a module is no tool', () => {
      mkdirSync(path.join(folder, 'src'));
      writeFileSync(path.join(folder, 'src', 'add.ts'), '');
      writeFileSync(path.join(folder, 'src', 'renamed.ts'), '');
      writeFileSync(path.join(build(), 'renamed.js'), 'exports.helper = () => 1;');

      expect(() => loadToolFolder(build())).toThrow(/src\/renamed\.ts exports 0 tools/);
    });

    it('loads every module of a build shipped without its sources', () => {
      expect(loadToolFolder(build()).map((tool) => tool.name)).toEqual(['add', 'renamed']);
    });
  });

  it('ends start-up naming a module that throws while it loads', () => {
    write('add.js', toolModule('add'));
    write('broken.js', 'JSON.parse("{bad");');

    expect(() => loadToolFolder(folder)).toThrow(/broken\.js failed to load: .*JSON/);
  });

  it('ends start-up naming both modules when two declare the same tool', () => {
    write('add.js', toolModule('add'));
    write('plus.js', toolModule('add'));

    expect(() => loadToolFolder(folder)).toThrow(/add\.js and .*plus\.js both declare tool add/);
  });

  it('counts a tool exported under two names once', () => {
    write('add.js', `${toolModule('add')}\nexports.default = exports.tool;`);

    expect(loadToolFolder(folder).map((tool) => tool.name)).toEqual(['add']);
  });
});

describe("the agent's own tools", () => {
  const names = createAgentToolRegistry().names;
  const fileNames = readdirSync(IN_PROCESS_TOOLS_FOLDER).filter(
    (file) => file.endsWith('.ts') && !file.endsWith('.test.ts'),
  );

  it('are the modules of src/tools/in-process, one tool per file', () => {
    expect(names).toHaveLength(fileNames.length);
    expect(names).toEqual(
      expect.arrayContaining([
        'calculator',
        'format_markdown',
        'get_current_time',
        'search_knowledge_base',
      ]),
    );
  });

  it.each(names)('%s is in a file named after it, as word_count is in word-count.ts', (name) => {
    expect(fileNames).toContain(`${name.replaceAll('_', '-')}.ts`);
  });
});
