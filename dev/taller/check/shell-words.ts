/**
 * Splits a command line into words as a POSIX shell does for the commands the guide and README
 * show: single and double quotes, backslash escapes outside single quotes. No expansions.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: "'" | '"' | undefined;
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!;
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && /["\\$`]/.test(line[index + 1] ?? '')) {
        word = (word ?? '') + line[++index];
      } else word = (word ?? '') + char;
    } else if (char === "'" || char === '"') {
      quote = char;
      word ??= '';
    } else if (char === '\\') {
      word = (word ?? '') + (line[++index] ?? '');
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + char;
  }
  if (quote) throw new Error(`unclosed ${quote} in: ${line}`);
  if (word !== undefined) words.push(word);
  return words;
}

export interface CurlRequest {
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** The request a `curl` command line sends: its URL's path, `-H` headers and `-d` body. */
export function parseCurl(line: string): CurlRequest {
  const words = shellWords(line);
  if (words[0] !== 'curl') throw new Error(`not a curl command: ${line}`);
  const headers: Record<string, string> = {};
  let body: string | undefined;
  let url: string | undefined;
  for (let index = 1; index < words.length; index++) {
    const word = words[index]!;
    if (word === '-H' || word === '--header') {
      const [name, ...value] = words[++index]!.split(':');
      headers[name!.trim().toLowerCase()] = value.join(':').trim();
    } else if (word === '-d' || word === '--data' || word === '--data-raw') body = words[++index];
    else if (!word.startsWith('-')) url = word;
  }
  if (!url) throw new Error(`no URL in: ${line}`);
  return { path: new URL(url.includes('://') ? url : `http://${url}`).pathname, headers, body };
}
