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
  // The last command block of the section, and whether an output followed it: a command may show
  // several outputs (two consoles), each checked against the same run.
  let current: { commands: string[]; line: number; heading: string; shown: boolean } | undefined;
  const closeCommand = () => {
    if (current && !current.shown)
      for (const command of current.commands)
        if (!QUIET_COMMANDS.has(command))
          problems.push(
            `line ${current.line} (${current.heading}): \`${command}\` shows no output; follow it with the block it prints (an unlabelled \`\`\` block)`,
          );
    current = undefined;
  };
  for (const element of markdownElements(markdown)) {
    if (element.kind === 'heading') {
      closeCommand();
      heading = element.text;
    } else if (element.kind === 'fence' && element.language === 'sh') {
      closeCommand();
      current = { commands: commandsOf(element.text), line: element.line, heading, shown: false };
    } else if (element.kind === 'fence' && element.language === '') {
      if (!current)
        problems.push(
          `line ${element.line} (${heading}): an output with no command before it: every output shown is a command's, and checked`,
        );
      else if (current.commands.length !== 1)
        problems.push(
          `line ${current.line} (${current.heading}): one command per block when an output follows, not ${current.commands.length}`,
        );
      else {
        const command = current.commands[0]!;
        pairs.push({ command, line: current.line, output: element.text, heading });
      }
      if (current) current.shown = true;
    }
  }
  closeCommand();
  return { pairs, problems };
}
