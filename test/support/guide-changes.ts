/**
 * The "Prueba a cambiar" of each section of docs/taller.md, as a test reads them: the change to
 * make (```diff blocks, one file each, lines prefixed with ` `, `-` or `+`), and what the guide
 * says of the tests: `**Las pruebas**: \`npx jest …\` pasan.`, or `… falla en:` followed by the
 * titles that fail (`- \`title\``, one per line). A change made only at run time (a variable, a
 * request) names the exercise's own test instead: `**La prueba**: \`npx jest <file> -t "<title>"\``.
 */
export interface FileEdit {
  file: string;
  before: string;
  after: string;
}

export interface GuideChange {
  heading: string;
  edits: FileEdit[];
  /** The `npx jest` arguments of the statement. */
  jestArguments: string[];
  /** For a code change: the titles the guide says fail (none: it says they all pass). */
  failingTitles: string[] | undefined;
  /** For a run-time change: the test the guide names, by file and title. */
  namedTest: { files: string[]; title: string } | undefined;
}

const TRY_IT = '**Prueba a cambiar**';

function sections(guide: string): { heading: string; text: string }[] {
  const parts = guide.split(/^(#{2,3} .*)$/m);
  const result: { heading: string; text: string }[] = [];
  for (let index = 1; index < parts.length; index += 2)
    result.push({ heading: parts[index]!.replace(/^#+ /, ''), text: parts[index + 1] ?? '' });
  return result;
}

function diffEdits(text: string): FileEdit[] {
  return [...text.matchAll(/^```diff\n([\s\S]*?)^```$/gm)].map(([, body]) => {
    const lines = body!.replace(/\n$/, '').split('\n');
    const header = /^--- (\S+)$/.exec(lines[0] ?? '');
    if (!header || !/^\+\+\+ /.test(lines[1] ?? ''))
      throw new Error(
        `a diff of the guide must start with "--- <file>" and "+++ <file>":\n${body}`,
      );
    const hunk = lines.slice(2);
    const side = (keep: string) =>
      hunk
        .filter((line) => line[0] === ' ' || line[0] === keep)
        .map((line) => line.slice(1))
        .join('\n');
    return { file: header[1]!, before: side('-'), after: side('+') };
  });
}

/** `npx jest a b -t "c d"` → ['a', 'b', '-t', 'c d']. */
function jestArgumentsOf(command: string): string[] {
  const words = [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2]!);
  if (words[0] !== 'npx' || words[1] !== 'jest') throw new Error(`not a jest command: ${command}`);
  return words.slice(2);
}

function statement(text: string, heading: string): Omit<GuideChange, 'heading' | 'edits'> {
  const tests = /\*\*Las pruebas\*\*: `(npx jest [^`]+)` (pasan|falla en:)/.exec(text);
  if (tests) {
    // The titles that fail: the list after the statement, one "- `title`" a line.
    const after = text.slice(tests.index + tests[0].length);
    const list = /^\s*((?:- `.+\n?)+)/.exec(after)?.[1] ?? '';
    const failingTitles =
      tests[2] === 'pasan' ? [] : [...list.matchAll(/^- `([^`]+)`/gm)].map((match) => match[1]!);
    if (tests[2] !== 'pasan' && !failingTitles.length)
      throw new Error(`"${heading}": "falla en:" with no list of titles after it`);
    return { jestArguments: jestArgumentsOf(tests[1]!), failingTitles, namedTest: undefined };
  }
  const named = /\*\*La prueba\*\*: `(npx jest [^`]+)`/.exec(text);
  if (!named)
    throw new Error(
      `"${heading}": its Prueba a cambiar says nothing of the tests (**Las pruebas** or **La prueba**)`,
    );
  const args = jestArgumentsOf(named[1]!);
  const titleAt = args.indexOf('-t');
  if (titleAt < 0) throw new Error(`"${heading}": name the test with -t "<title>": ${named[1]}`);
  return {
    jestArguments: args,
    failingTitles: undefined,
    namedTest: { files: args.slice(0, titleAt), title: args[titleAt + 1]! },
  };
}

export function readGuideChanges(guide: string): GuideChange[] {
  return sections(guide)
    .filter(({ text }) => text.includes(TRY_IT))
    .map(({ heading, text }) => {
      const tryIt = text.slice(text.indexOf(TRY_IT));
      const edits = diffEdits(tryIt);
      const said = statement(tryIt, heading);
      if (edits.length && said.namedTest)
        throw new Error(
          `"${heading}": a change to the code says which tests change (**Las pruebas**)`,
        );
      return { heading, edits, ...said };
    });
}
