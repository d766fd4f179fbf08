/** A Markdown document as the check reads it: headings, fenced blocks, and the prose between. */
export type Element =
  | { kind: 'heading'; text: string; line: number }
  | { kind: 'fence'; language: string; text: string; line: number }
  | { kind: 'prose'; text: string; line: number };

/** Splits Markdown into headings, fenced blocks (with their language) and prose paragraphs. */
export function markdownElements(markdown: string): Element[] {
  const elements: Element[] = [];
  const lines = markdown.split('\n');
  let index = 0;
  while (index < lines.length) {
    const line = lines[index]!;
    const fence = /^(\s*)```(\S*)\s*$/.exec(line);
    if (fence) {
      const start = index;
      const body: string[] = [];
      index += 1;
      while (index < lines.length && !/^\s*```\s*$/.test(lines[index]!)) {
        body.push(lines[index]!.slice(fence[1]!.length));
        index += 1;
      }
      elements.push({ kind: 'fence', language: fence[2]!, text: body.join('\n'), line: start + 1 });
      index += 1;
    } else if (/^#{1,6} /.test(line)) {
      elements.push({ kind: 'heading', text: line.replace(/^#+ /, ''), line: index + 1 });
      index += 1;
    } else if (line.trim() === '') {
      index += 1;
    } else {
      const start = index;
      const paragraph: string[] = [];
      while (
        index < lines.length &&
        lines[index]!.trim() !== '' &&
        !/^\s*```/.test(lines[index]!) &&
        !/^#{1,6} /.test(lines[index]!)
      ) {
        paragraph.push(lines[index]!);
        index += 1;
      }
      elements.push({ kind: 'prose', text: paragraph.join('\n'), line: start + 1 });
    }
  }
  return elements;
}

/** The commands of a shell block: one per line, `\` continuations joined, comments left out. */
export function commandsOf(block: string): string[] {
  return block
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
