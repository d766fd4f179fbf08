/**
 * `npm run taller:<step>` (e.g. `npm run taller:1.1`): one step of docs/taller.md in one command,
 * on any system: it starts the services the step needs (with the variables of its `taller/*.env`
 * file), sends the step's requests, stops the services and prints what each console showed.
 * `npm run taller:intro -- "Calculate 1 / 0"` sends another task.
 */
import { STEPS, stepById } from './steps';

async function main(): Promise<void> {
  const [id, task] = process.argv.slice(2);
  const step = id ? stepById(id) : undefined;
  if (!step) {
    process.stderr.write(
      `usage: npm run taller:<step> [-- "<task>"]; the steps: ${STEPS.map((known) => known.id).join(', ')}\n`,
    );
    process.exit(2);
  }
  await step.run({ print: (line = '') => process.stdout.write(`${line}\n`), task });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `taller failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
