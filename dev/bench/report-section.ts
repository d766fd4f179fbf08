import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface SectionMarkers {
  begin: string;
  end: string;
  /** Written above the markers when the file has none yet, e.g. `## Runtimes`. */
  heading?: string;
}

/**
 * Writes generated figures between a section's two markers, keeping the hand-written text around
 * them (how to read them, what they say), so that a rerun replaces the figures and nothing else.
 * A file without the markers gets them at its end.
 */
export function writeSection(file: string, markers: SectionMarkers, figures: string): void {
  const { begin, end, heading } = markers;
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const document =
    existing.includes(begin) && existing.includes(end)
      ? existing
      : `${existing.trimEnd()}\n\n${heading ? `${heading}\n\n` : ''}${begin}\n${end}\n`;
  const before = document.slice(0, document.indexOf(begin) + begin.length);
  const after = document.slice(document.indexOf(end));
  writeFileSync(file, `${before}\n${figures}\n${after}`);
}
