import { commandsOf, markdownElements } from './markdown-blocks';

/**
 * The guide's convention, which the check holds it to: a ```sh block is a command a student runs,
 * and the unlabelled block that follows it (before the next command or heading) is what it shows.
 * Hand-typed variants for bash stay out of ```sh blocks (in ```bash blocks or in the prose).
 */
export interface GuidePair {
  command: string;
  /** Line of the command block in the guide. */
  line: number;
  output: string;
  heading: string;
}

export interface GuideReading {
  pairs: GuidePair[];
  /** Commands that show no output, where the guide's convention asks for one. */
  problems: string[];
}

/** Commands a student runs once and whose output says nothing to look at. */
const QUIET_COMMANDS = new Set(['npm ci']);

export function readGuide(markdown: string): GuideReading {
  const pairs: GuidePair[] = [];
  const problems: string[] = [];
  let heading = '';
  let waiting: { commands: string[]; line: number; heading: string } | undefined;
  const noOutput = () => {
    if (!waiting) return;
    for (const command of waiting.commands)
      if (!QUIET_COMMANDS.has(command))
        problems.push(
          `line ${waiting.line} (${waiting.heading}): \`${command}\` shows no output; follow it with the block it prints (an unlabelled \`\`\` block)`,
        );
    waiting = undefined;
  };
  for (const element of markdownElements(markdown)) {
    if (element.kind === 'heading') {
      noOutput();
      heading = element.text;
    } else if (element.kind === 'fence' && element.language === 'sh') {
      noOutput();
      waiting = { commands: commandsOf(element.text), line: element.line, heading };
    } else if (element.kind === 'fence' && element.language === '' && waiting) {
      const commands = waiting.commands;
      if (commands.length !== 1)
        problems.push(
          `line ${waiting.line} (${waiting.heading}): one command per block when an output follows, not ${commands.length}`,
        );
      else pairs.push({ command: commands[0]!, line: waiting.line, output: element.text, heading });
      waiting = undefined;
    }
  }
  noOutput();
  return { pairs, problems };
}
