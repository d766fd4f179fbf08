/**
 * The cells of the rows of the first markdown table after the line that starts with `from` (a
 * heading, a marker), header and separator left out; none when there is no such line.
 */
export function tableAfter(report: string, from: string): string[][] {
  const lines = report.split('\n');
  const start = lines.findIndex((line) => line.startsWith(from));
  const header = lines.findIndex((line, index) => index > start && line.startsWith('|'));
  const rows: string[][] = [];
  if (start === -1 || header === -1) return rows;
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}
