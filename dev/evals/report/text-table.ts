/**
 * Rows as aligned columns for a terminal: the first row is the header, underlined; columns whose
 * cells are all numbers (or empty) are aligned right.
 */
export function textTable(rows: readonly (readonly string[])[], indent = '  '): string {
  const widths = rows[0]!.map((_, column) =>
    Math.max(...rows.map((row) => row[column]?.length ?? 0)),
  );
  const numeric = widths.map((_, column) =>
    rows.slice(1).every((row) => /^[-+]?[\d.,$%]*$/.test(row[column] ?? '')),
  );
  const line = (row: readonly string[]) =>
    indent +
    row
      .map((cell, column) =>
        numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  const rule = indent + widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}
