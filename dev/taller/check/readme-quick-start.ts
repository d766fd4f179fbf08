import { send } from '../answers';
import { startWorkshopService } from '../workshop-services';
import { commandsOf, markdownElements } from './markdown-blocks';
import { parseCurl } from './shell-words';

/**
 * README's quick start, as the check reads it: under the heading `## Quick start`, a ```sh block
 * with `npm start` and one with a `curl` request; and, after that heading, the first unlabelled
 * block that begins with `Trace ` is what `npm start` prints for that request.
 */
export interface QuickStart {
  curl: string;
  shown: string;
}

const QUICK_START = /^Quick start\b/;

export function readQuickStart(readme: string): QuickStart {
  const elements = markdownElements(readme);
  const start = elements.findIndex(
    (element) => element.kind === 'heading' && QUICK_START.test(element.text),
  );
  if (start < 0) throw new Error('README has no "## Quick start" heading');
  const end = elements.findIndex(
    (element, index) =>
      index > start && element.kind === 'heading' && !element.text.startsWith('#'),
  );
  const section = elements.slice(start + 1, end < 0 ? undefined : end);
  const commands = section.flatMap((element) =>
    element.kind === 'fence' && element.language === 'sh' ? commandsOf(element.text) : [],
  );
  if (!commands.includes('npm start'))
    throw new Error("README's quick start has no `npm start` block");
  const curl = commands.find((command) => command.startsWith('curl '));
  if (!curl) throw new Error("README's quick start has no `curl` block");
  const shown = elements
    .slice(start + 1)
    .find(
      (element) =>
        element.kind === 'fence' && element.language === '' && element.text.startsWith('Trace '),
    );
  if (!shown || shown.kind !== 'fence')
    throw new Error(
      'README shows no output of `npm start` (a block that begins with "Trace ") after its quick start',
    );
  return { curl, shown: shown.text };
}

/** Runs the quick start: the agent as `npm start` runs it, the curl's request, then its console. */
export async function runQuickStart({ curl }: QuickStart): Promise<string> {
  const request = parseCurl(curl);
  const agent = await startWorkshopService({ kind: 'agent' });
  try {
    const answer = await send(agent.url, {
      path: request.path,
      headers: request.headers,
      body: JSON.parse(request.body ?? '{}') as Record<string, unknown>,
    });
    if (answer.status !== 200) throw new Error(`the quick start's curl got ${answer.status}`);
  } finally {
    await agent.process.stop('SIGTERM');
  }
  return agent.process.output();
}
