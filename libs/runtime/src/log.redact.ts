// Redaction by key for log lines: a value whose key names a secret is replaced by
// `[REDACTED]` at the top level or one or two levels down (what pino's `redact` paths `key`,
// `*.key` and `*.*.key` matched before). Done here rather than with pino's `redact` option
// because that runs a wildcard redactor over every field of every line: under `./dev load`
// it cost as much CPU as writing the line (~40 % of pino's time, issue 14 profiles), whereas
// one walk of the few keys a line has is a few microseconds.
// A safety net, not a licence to log config objects or headers wholesale.

export const CENSOR = '[REDACTED]';

/** Keys whose values are secrets wherever they appear (exact spelling, as pino paths were). */
export const SECRET_KEYS: readonly string[] = [
  'password',
  'passwd',
  'secret',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'authorization',
  'cookie',
  'credentials',
  'privateKey',
  'mongoUrl',
  'MONGO_URL',
];

const SECRETS = new Set(SECRET_KEYS);

/** Levels below the object handed in that are searched (`*.*.key`). */
const MAX_DEPTH = 2;

/**
 * The object with every secret-keyed value censored, copying only the containers on the way
 * to a secret (the caller's objects are never modified); the object itself when it has none.
 * `depth` is how far below the log line's root `value` sits (an `err` field is at 1).
 */
export function redactSecrets<T>(value: T, depth = 0): T {
  if (!isWalkable(value)) return value;
  let copy: Record<string, unknown> | undefined;
  const source = value as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const field = source[key];
    let next = field;
    if (SECRETS.has(key)) {
      // As pino did: an undefined value stays undefined (the key is left out of the line).
      if (field !== undefined) next = CENSOR;
    } else if (depth < MAX_DEPTH) {
      next = redactSecrets(field, depth + 1);
    }
    if (next !== field) {
      copy ??= (Array.isArray(value) ? [...value] : { ...source }) as Record<string, unknown>;
      copy[key] = next;
    }
  }
  return (copy ?? value) as T;
}

// Errors are left to the `err` serializer (it redacts what it produces); binary data and dates
// have no secret-named keys worth walking.
function isWalkable(value: unknown): value is object {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Error) &&
    !(value instanceof Date) &&
    !ArrayBuffer.isView(value) &&
    !(value instanceof ArrayBuffer)
  );
}
