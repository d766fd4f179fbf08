import { isSecretKey, REDACTED, redactSecrets } from './sanitize';

/**
 * Pattern-based redaction of free text (task text, prompts, model output, tool results, error
 * messages): a safety net for secrets pasted into prose, not a guarantee. It finds what has a
 * recognisable shape or a secret-looking label; a password written as "my password is hunter2"
 * has neither and stays.
 */

/**
 * Every pattern below needs one of these substrings: text without any of them (most text) is
 * returned after this single test. Case-insensitive, so it is a superset of what the patterns need.
 */
const CANDIDATE =
  /pass|secret|key|token|auth|cred|sign|cookie|bearer|AIza|sk-|gh[pousr]_|github_pat_|AKIA|ASIA|xox|eyJ/i;

/** Credentials with a recognisable shape, wherever they stand. */
const SHAPES: readonly RegExp[] = [
  // PEM private keys, also when the end line was cut off.
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  // JSON Web Tokens: header and payload are base64url JSON objects.
  /\beyJ[\w-]{5,}\.eyJ[\w-]{5,}\.[\w-]*/g,
  // Google API keys.
  /\bAIza[\w-]{30,}/g,
  // OpenAI (and Anthropic, sk-ant-) keys.
  /\bsk-[\w-]{20,}/g,
  // GitHub tokens: classic (ghp_, gho_, ghu_, ghs_, ghr_) and fine-grained.
  /\bgh[pousr]_[A-Za-z0-9]{30,}/g,
  /\bgithub_pat_\w{22,}/g,
  // AWS access key ids.
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  // Slack tokens.
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
];

/** `Authorization: Basic dXNlcjpwYXNz`: the scheme stays, the credentials go. */
const AUTHORIZATION =
  /\b((?:proxy-)?authorization\s*[:=]\s*)(?:(Bearer|Basic|Digest|Token|Negotiate|ApiKey)\s+)?[^\s"',;]+/gi;

/** `Bearer <token>`, without a header name. */
const BEARER = /\b(Bearer\s+)[\w\-.~+/]+=*/gi;

/**
 * `key=value`, `key: value`, `"key": "value"`: the value goes when the key looks secret (the same
 * predicate as for attribute keys). A value that starts with `[` is left alone, so that text
 * already redacted stays as it is.
 */
const LABELLED =
  /(?<![\w.-])(["']?)([A-Za-z][\w.-]{0,63})\1(\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s"',;&)}\][][^\s"',;&)}\]]*)/g;

function redactLabelled(
  match: string,
  quote: string,
  key: string,
  separator: string,
  value: string,
): string {
  // Authorization headers have their own pattern, which keeps the scheme.
  if (!isSecretKey(key) || /authorization$/i.test(key)) return match;
  const valueQuote = value.startsWith('"') || value.startsWith("'") ? value[0] : '';
  return `${quote}${key}${quote}${separator}${valueQuote}${REDACTED}${valueQuote}`;
}

export function redactText(text: string): string {
  if (!CANDIDATE.test(text)) return text;
  let redacted = text;
  for (const shape of SHAPES) redacted = redacted.replace(shape, REDACTED);
  redacted = redacted.replace(
    AUTHORIZATION,
    (_match, label: string, scheme?: string) => `${label}${scheme ? `${scheme} ` : ''}${REDACTED}`,
  );
  redacted = redacted.replace(BEARER, `$1${REDACTED}`);
  return redacted.replace(LABELLED, redactLabelled);
}

/** Captured content: secret-looking keys redacted (see `redactSecrets`), and every string in it. */
export function redactContent(value: unknown): unknown {
  return redactSecrets(value, { redactString: redactText });
}
