import { readGuide } from './guide-pairs';

/** docs/taller.md as it stood before this check, around exercise 1.3's cost command. */
const STRAY_TEXT_AFTER_A_COMMAND = `### 1.3 Sampling adaptativo por carga

El coste de una decisión, medido (tras \`npm run build\`):

\`\`\`sh
node dist-dev/dev/bench/sampler-cost.js
\`\`\`

Una ejecución real: 13 árboles para 100 peticiones, y 100 líneas \`"msg":"request completed"\`.OST

Las pruebas con reloj controlado:

\`\`\`sh
npx jest src/tracing/sampling/adaptive-sampler.test.ts --runInBand
\`\`\`
`;

describe("reading the guide's commands and outputs", () => {
  it('pairs each ```sh command with the unlabelled block that follows it, prose between', () => {
    const guide = `## Intro

\`\`\`sh
npm run taller:intro
\`\`\`

**Qué mirar**: el árbol.

\`\`\`
Trace 04d631ef1edbccc5d9bc37871c7acbb6
\`\`\`
`;
    expect(readGuide(guide)).toEqual({
      pairs: [
        {
          command: 'npm run taller:intro',
          line: 3,
          output: 'Trace 04d631ef1edbccc5d9bc37871c7acbb6',
          heading: 'Intro',
        },
      ],
      problems: [],
    });
  });

  it('fails on the stray text that stood after exercise 1.3’s cost command, in place of its output', () => {
    const { pairs, problems } = readGuide(STRAY_TEXT_AFTER_A_COMMAND);
    expect(pairs).toEqual([]);
    expect(problems).toEqual([
      expect.stringContaining('`node dist-dev/dev/bench/sampler-cost.js` shows no output'),
      expect.stringContaining(
        '`npx jest src/tracing/sampling/adaptive-sampler.test.ts --runInBand` shows no output',
      ),
    ]);
  });

  it('does not carry a command past a heading to the next section’s output', () => {
    const { pairs, problems } = readGuide(
      '```sh\nnpm run demo\n```\n\n## Next\n\n```\nTrace x\n```\n',
    );
    expect(pairs).toEqual([]);
    expect(problems).toEqual([
      expect.stringContaining('`npm run demo` shows no output'),
      expect.stringContaining('(Next): an output with no command before it'),
    ]);
  });

  it('checks every output a command shows against its run, and refuses one that follows no command', () => {
    const guide =
      '```sh\nnpm run demo\n```\n\n```\nTrace a\n```\n\nY otra:\n\n```\nTrace b\n```\n\n## Otra\n\n```\nTrace c\n```\n';
    const { pairs, problems } = readGuide(guide);
    expect(pairs.map((pair) => pair.output)).toEqual(['Trace a', 'Trace b']);
    expect(problems).toEqual([
      expect.stringContaining('line 17 (Otra): an output with no command before it'),
    ]);
  });

  it('lets npm ci show nothing, and leaves diffs and bash variants alone', () => {
    const guide =
      '```sh\nnpm ci\n```\n\n```diff\n-a\n+b\n```\n\n```bash\nNODE_ENV=production npm start\n```\n';
    expect(readGuide(guide)).toEqual({ pairs: [], problems: [] });
  });
});
