import ts from 'typescript';

/**
 * What each name of the names module (src/tracing/semconv.ts) means: the doc comment right above
 * its constant, which is also what an editor shows where the constant is used. Read from the
 * source, since comments do not survive compilation.
 */

/** The constants that need one: every span, attribute and event name. */
const DESCRIBED_CONSTANT = /^(ATTR|EVENT|SPAN)_/;

/** A `/** ... *\/` comment's text, on one line. */
const docText = (comment: string) =>
  comment
    .replace(/^\/\*\*|\*\/$/g, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\*?\s?/, '').trim())
    .filter(Boolean)
    .join(' ');

/**
 * The doc comment right above `node`: the last comment before it, when it is a `/**` one and no
 * blank line parts them (a comment a blank line away heads a section, not this name).
 */
function docAbove(source: string, node: ts.Node, file: ts.SourceFile): string | undefined {
  const comment = ts.getLeadingCommentRanges(source, node.pos)?.at(-1);
  if (!comment || !source.startsWith('/**', comment.pos)) return undefined;
  if (/\n[ \t]*\n/.test(source.slice(comment.end, node.getStart(file)))) return undefined;
  return docText(source.slice(comment.pos, comment.end)) || undefined;
}

/**
 * Every span, attribute and event constant the module at `source` declares and exports, with its
 * description: undefined for a constant without one.
 */
export function describedConstants(source: string): Map<string, string | undefined> {
  const file = ts.createSourceFile('semconv.ts', source, ts.ScriptTarget.Latest, true);
  const described = new Map<string, string | undefined>();
  const add = (name: string, node: ts.Node) => {
    if (DESCRIBED_CONSTANT.test(name)) described.set(name, docAbove(source, node, file));
  };
  for (const statement of file.statements) {
    const exported = ts
      .getModifiers(statement as ts.HasModifiers)
      ?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
    if (ts.isVariableStatement(statement) && exported)
      for (const declaration of statement.declarationList.declarations)
        if (ts.isIdentifier(declaration.name)) add(declaration.name.text, statement);
  }
  return described;
}
