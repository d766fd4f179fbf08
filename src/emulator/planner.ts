import { parseJsonObject } from '../json-object';
import type { WireContent, WireGenerateRequest, WirePart } from './gemini-wire';
import { judgeVerdict } from './judge';

/**
 * The emulator's deterministic planner: reads the task like a model would, in a way a workshop
 * can predict.
 *
 * - an arithmetic expression → `calculator`
 * - "search", "knowledge base", "look up", or a what/how/why question → `search_knowledge_base`
 * - "time" (and an IANA zone such as Europe/Madrid, if one is named) → `get_current_time`
 * - "delegate" or "sub-agent" → `delegate_to_subagent`, with the rest of the task
 * - "convert 100 km to mi" → `convert_units` (a tool of the MCP tool service), value and units
 *   from the task
 * - "mean", "median", "average" or "statistics" of a list of numbers → `statistics` (the MCP tool
 *   service's), with the numbers that follow the word
 * - all of those that apply are asked for in one turn (parallel calls); then, if the task says
 *   "markdown" or "format", `format_markdown` on the findings; then a final answer that states
 *   every tool result.
 * - "what did I ask" (or "my previous question"), when no tool is asked for → the earlier requests
 *   of the conversation, quoted, which is what memory gave the model
 * - "take 30 seconds to think" → the answer comes that much later (a deadline to hit)
 * - a judge's request (`<answer>` and `<reference>`, see `judge.ts`) → a verdict in JSON
 * - "use word_count with {"text": "one two"}" (a declared tool's name, "with", its arguments as a
 *   JSON object) → that call, and only the calls so named: the user said what to call, and the
 *   words inside the JSON are arguments, not requests. Any tool, so a new one needs no rule here.
 * Only tools the request declares are ever called.
 */

export interface PlannedTurn {
  parts: WirePart[];
  finishReason: 'STOP';
  /** How long the emulator waits before it answers, as a slow model would. */
  delayMs?: number;
}

type FunctionCall = { name: string; args: Record<string, unknown> };
type FunctionResponse = { name: string; response: Record<string, unknown> };

const EXPRESSION =
  /(?:\d+(?:\.\d+)?|\(|\)|pi\b|sqrt\(|[-+*/^%])(?:[\s\d.()+\-*/^%]|pi\b|sqrt\()*/gi;
/** A calendar date such as 2026-11-21: dashes there are separators, not minus signs. */
const ISO_DATE = /(?<!\d)\d{4}-\d{1,2}-\d{1,2}(?!\d)/g;
const SEARCH_WORDS = /\b(search|knowledge base|look up|lookup|find out)\b/i;
const QUESTION = /^\s*(what|how|why|which|when|explain)\b/i;
const TIME_WORDS = /\b(time|clock|date)\b/i;
const TIME_ZONE = /\b([A-Z][a-zA-Z]+\/[A-Z][a-zA-Z_]+(?:\/[A-Z][a-zA-Z_]+)?|UTC)\b/;
const DELEGATE_WORDS = /\b(delegate|sub-?agent)\b/i;
const FORMAT_WORDS = /\b(markdown|format)\b/i;
const STATISTICS_WORDS = /\b(mean|median|average|statistics)\b/i;
const NUMBER = /-?\d+(?:\.\d+)?/g;
const RECALL_WORDS =
  /\b(what did i (?:just )?ask|my (?:previous|last|earlier) (?:question|request|task))\b/i;
const THINKING = /\btake (\d+) seconds? to think\b/i;
/** A slow model, not a stuck one: the longest wait a task can ask for. */
const MAX_THINKING_SECONDS = 120;
/** "Use word_count with {" or "call the word_count tool with arguments {": up to the brace. */
const NAMED_CALL =
  /\b(?:use|call)\s+(?:the\s+)?([A-Za-z_][\w.-]*)(?:\s+tool)?\s+with(?:\s+(?:the\s+)?arguments?)?\s*(?::\s*)?(?=\{)/gi;
const CONVERSION = /\bconvert\s+(-?\d+(?:\.\d+)?)\s*(°?[a-z]+)\s+(?:to|into|in)\s+(°?[a-z]+)/i;

/** "Convert 100 km to mi" → the arguments of `convert_units`. */
export function findConversion(
  task: string,
): { value: number; from_unit: string; to_unit: string } | undefined {
  const match = CONVERSION.exec(task);
  return match ? { value: Number(match[1]), from_unit: match[2]!, to_unit: match[3]! } : undefined;
}

/** "The mean of 3, 5 and 10" → the numbers after the word, for `statistics`. */
export function findStatisticsValues(task: string): number[] | undefined {
  const word = STATISTICS_WORDS.exec(task);
  if (!word) return undefined;
  const values = (task.slice(word.index).match(NUMBER) ?? []).map(Number);
  return values.length ? values : undefined;
}

/** "Take 30 seconds to think" → 30,000 ms before the first answer. */
export function findThinkingDelayMs(task: string): number | undefined {
  const seconds = THINKING.exec(task)?.[1];
  return seconds ? Math.min(Number(seconds), MAX_THINKING_SECONDS) * 1000 : undefined;
}

/** The longest run that looks like arithmetic and has both a number and an operator. */
export function findExpression(task: string): string | undefined {
  const candidates = (task.replace(ISO_DATE, ' ').match(EXPRESSION) ?? [])
    .map((match) => match.trim().replace(/[-+*/^%(\s]+$/, ''))
    .filter((match) => /\d/.test(match) && /\d\s*[-+*/^%]\s*[\d(]/.test(match));
  return candidates.sort((a, b) => b.length - a.length)[0];
}

export function findSearchQuery(task: string): string | undefined {
  const explicit =
    /\b(?:search|look up|lookup|find out)\b(?:\s+(?:in|on))?(?:\s+the)?(?:\s+knowledge base)?(?:\s+(?:for|about|on))?\s+(.+?)(?:[.?!;]|\s+and\s+|\s+then\s+|$)/i.exec(
      task,
    );
  if (explicit?.[1]) return explicit[1].trim();
  // "What did I ask?" is a question about the conversation, not the knowledge base.
  if (SEARCH_WORDS.test(task) || (QUESTION.test(task) && !RECALL_WORDS.test(task)))
    return task.replace(/[?!.]+\s*$/, '').trim();
  return undefined;
}

export function findDelegatedTask(task: string): string {
  const rest = task
    .replace(
      /^.*?\b(?:delegate|sub-?agent)\b\s*(?:to\s+the\s+sub-?agent|to\s+a\s+sub-?agent)?\s*[:,]?\s*/i,
      '',
    )
    .trim();
  return rest || task;
}

/**
 * Named calls read in one task, and the length of their arguments: the text comes from clients,
 * so what one task costs to plan is bounded however it is written.
 */
const MAX_NAMED_CALLS = 16;
const MAX_ARGUMENTS_LENGTH = 4_096;

/**
 * The JSON object that opens at `start` (a `{`), up to its closing brace, strings read whole;
 * none past `MAX_ARGUMENTS_LENGTH` characters.
 */
function jsonObjectAt(text: string, start: number): string | undefined {
  let depth = 0;
  let inString = false;
  const end = Math.min(text.length, start + MAX_ARGUMENTS_LENGTH);
  for (let index = start; index < end; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth += 1;
    else if (char === '}') {
      depth -= 1;
      if (depth === 0) return text.slice(start, index + 1);
    }
  }
  return undefined;
}

/**
 * "Use word_count with {"text": "one two"}" → that call, for a tool the request declares and
 * arguments that parse as a JSON object; `rest` is the task without the calls so named.
 */
function findNamedToolCalls(
  task: string,
  available: ReadonlySet<string>,
): { calls: FunctionCall[]; rest: string } {
  const calls: FunctionCall[] = [];
  let rest = '';
  let readUpTo = 0;
  let examined = 0;
  for (const match of task.matchAll(NAMED_CALL)) {
    // Inside the arguments of a call already read: a text, not a request.
    if (match.index < readUpTo) continue;
    const name = match[1]!;
    if (!available.has(name)) continue;
    if ((examined += 1) > MAX_NAMED_CALLS) break;
    const braceAt = match.index + match[0].length;
    const json = jsonObjectAt(task, braceAt);
    const args = json && parseJsonObject(json);
    if (!json || !args) continue;
    calls.push({ name, args });
    rest += `${task.slice(readUpTo, match.index)} `;
    readUpTo = braceAt + json.length;
  }
  return { calls, rest: rest + task.slice(readUpTo) };
}

/** Tool calls the task asks for in its first turn, in a stable order. */
export function planToolCalls(
  task: string,
  available: ReadonlySet<string>,
  named = findNamedToolCalls(task, available).calls,
): FunctionCall[] {
  if (named.length) return named;
  const calls: FunctionCall[] = [];
  const expression = findExpression(task);
  if (expression && available.has('calculator'))
    calls.push({ name: 'calculator', args: { expression } });
  const query = findSearchQuery(task);
  if (query && available.has('search_knowledge_base'))
    calls.push({ name: 'search_knowledge_base', args: { query } });
  if (TIME_WORDS.test(task) && available.has('get_current_time')) {
    const zone = TIME_ZONE.exec(task)?.[1];
    calls.push({ name: 'get_current_time', args: zone ? { timezone: zone } : {} });
  }
  const conversion = findConversion(task);
  if (conversion && available.has('convert_units'))
    calls.push({ name: 'convert_units', args: conversion });
  const values = findStatisticsValues(task);
  if (values && available.has('statistics')) calls.push({ name: 'statistics', args: { values } });
  if (DELEGATE_WORDS.test(task) && available.has('delegate_to_subagent')) {
    calls.push({ name: 'delegate_to_subagent', args: { task: findDelegatedTask(task) } });
  }
  return calls;
}

function summarizeResult({ name, response }: FunctionResponse): string {
  const error = response.error as { message?: string } | undefined;
  if (error) {
    const message = error.message ?? JSON.stringify(error);
    return message.startsWith(name) ? message : `${name} failed: ${message}`;
  }
  switch (name) {
    case 'calculator':
      return `${response.expression} = ${response.result}`;
    case 'search_knowledge_base': {
      const results =
        (response.results as { title: string; section: string; snippet: string }[] | undefined) ??
        [];
      if (!results.length) return `The knowledge base has nothing on "${response.query}".`;
      const [best] = results;
      return `From the knowledge base (${results.map((hit) => `${hit.title}: ${hit.section}`).join('; ')}): ${best?.snippet}`;
    }
    case 'get_current_time':
      return `The current time in ${response.timezone} is ${response.local_time} (${response.weekday}).`;
    case 'delegate_to_subagent':
      return `The sub-agent answered: ${response.response}`;
    case 'format_markdown':
      return String(response.markdown);
    case 'convert_units':
      return `${response.value} ${response.from_unit} = ${response.result} ${response.to_unit}`;
    case 'statistics':
      return `Of the ${response.count} values: mean ${response.mean}, median ${response.median}, minimum ${response.min}, maximum ${response.max}, standard deviation ${response.standard_deviation}.`;
    default:
      return `${name} returned ${JSON.stringify(response)}`;
  }
}

function latestUserTask(contents: readonly WireContent[]): { task: string; index: number } {
  for (let index = contents.length - 1; index >= 0; index -= 1) {
    const content = contents[index];
    if (content?.role !== 'user') continue;
    const text = content.parts.flatMap((part) => ('text' in part ? [part.text] : [])).join(' ');
    if (text) return { task: text, index };
  }
  return { task: '', index: -1 };
}

/** The user's texts before the latest one: the conversation so far, as memory replayed it. */
function earlierUserTexts(contents: readonly WireContent[], latest: number): string[] {
  return contents
    .slice(0, Math.max(latest, 0))
    .filter((content) => content.role === 'user')
    .map((content) =>
      content.parts.flatMap((part) => ('text' in part ? [part.text] : [])).join(' '),
    )
    .filter(Boolean);
}

function recall(contents: readonly WireContent[], latest: number): PlannedTurn {
  const earlier = earlierUserTexts(contents, latest);
  if (!earlier.length) return text('I have no earlier request of yours in this conversation.');
  return text(`Earlier you asked: ${earlier.map((task) => `"${task}"`).join('; ')}.`);
}

function partsAfter<T>(
  contents: readonly WireContent[],
  index: number,
  pick: (part: WirePart) => T | undefined,
): T[] {
  return contents
    .slice(index + 1)
    .flatMap((content) => content.parts.flatMap((part) => pick(part) ?? []));
}

const text = (content: string): PlannedTurn => ({
  parts: [{ text: content }],
  finishReason: 'STOP',
});
const callTools = (calls: FunctionCall[]): PlannedTurn => ({
  parts: calls.map((call) => ({ functionCall: call })),
  finishReason: 'STOP',
});

export function planReply(request: WireGenerateRequest): PlannedTurn {
  const available = new Set(
    (request.tools ?? [])
      .flatMap((tool) => tool.functionDeclarations ?? [])
      .map((declaration) => declaration.name),
  );
  const { task, index } = latestUserTask(request.contents);
  // Words inside a named call's JSON arguments ask for nothing ("format" in a text to count).
  const { calls: named, rest: words } = findNamedToolCalls(task, available);
  const called = partsAfter(request.contents, index, (part) =>
    'functionCall' in part ? part.functionCall.name : undefined,
  );
  const results = partsAfter(request.contents, index, (part) =>
    'functionResponse' in part ? part.functionResponse : undefined,
  );

  if (called.length === 0) {
    // A judge's request declares no tool: its words are the whole task.
    const verdict = judgeVerdict(words);
    if (verdict) return text(verdict);
    const calls = planToolCalls(task, available, named);
    // A tool asked for comes first: "delegate to the sub-agent: what did I ask?" delegates.
    if (!calls.length && RECALL_WORDS.test(task)) return recall(request.contents, index);
    const planned = calls.length
      ? callTools(calls)
      : text(
          `No tool was needed for this. You asked: "${task}". I am the offline Gemini emulator, so this is all I can say without tools.`,
        );
    const delayMs = findThinkingDelayMs(words);
    return delayMs ? { ...planned, delayMs } : planned;
  }

  const findings = results
    .filter((result) => result.name !== 'format_markdown')
    .map(summarizeResult);
  if (
    FORMAT_WORDS.test(words) &&
    available.has('format_markdown') &&
    !called.includes('format_markdown')
  ) {
    return callTools([
      {
        name: 'format_markdown',
        args: { text: `## Findings\n${findings.map((line) => `* ${line}`).join('\n')}` },
      },
    ]);
  }
  const formatted = results.find((result) => result.name === 'format_markdown');
  return text(formatted ? summarizeResult(formatted) : findings.join('\n'));
}
