// Config as data for people: PRINT_CONFIG output (zone-mta's NODE_CONFIG_ONLY) and the rows of
// docs/configuration.md. Both come from the schema so the docs cannot drift from the code.
import type { ConfigOf, ConfigSchema } from './config.schema';
import type { Env } from './config.loader';

export const REDACTED = '[REDACTED]';

export interface ConfigRow {
  readonly key: string;
  readonly env: string;
  /** Printable default; undefined when the variable has none. */
  readonly default: string | undefined;
  readonly required: boolean;
  readonly secret: boolean;
  readonly doc: string;
}

export function describeConfig(schema: ConfigSchema): ConfigRow[] {
  return Object.entries(schema).map(([key, spec]) => ({
    key,
    env: spec.env,
    default: spec.hasDefault ? formatValue(spec.default) : undefined,
    // Optional-without-default schemas (z.x().optional()) accept an unset variable.
    required: !spec.hasDefault && !spec.schema.safeParse(undefined).success,
    secret: spec.secret,
    doc: spec.doc,
  }));
}

/** Markdown table in the shape docs/configuration.md uses. */
export function renderConfigTable(schema: ConfigSchema): string {
  const header = ['| Variable | Default | Secret | Description |', '|---|---|---|---|'];
  const rows = describeConfig(schema).map((row) => {
    const fallback = row.default === undefined ? (row.required ? '(required)' : '(unset)') : `\`${row.default}\``;
    return `| \`${row.env}\` | ${fallback} | ${row.secret ? 'yes' : 'no'} | ${row.doc} |`;
  });
  return [...header, ...rows].join('\n');
}

/** Resolved config keyed by variable name, with secret values replaced. */
export function redactConfig<T extends ConfigSchema>(config: ConfigOf<T>, schema: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    const value = (config as Record<string, unknown>)[key];
    out[spec.env] = spec.secret && value !== undefined ? REDACTED : withoutUrlPasswords(value);
  }
  return out;
}

/**
 * A URL that is not a secret as a whole may still carry one in its user info
 * (`nats://user:password@host`, RFC 3986 §3.2.1 calls that use deprecated but it happens):
 * the password part is replaced wherever it appears, in strings and string arrays alike.
 */
function withoutUrlPasswords(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@/\s]+@/gi, `$1${REDACTED}@`);
  if (Array.isArray(value)) return value.map(withoutUrlPasswords);
  return value;
}

export interface PrintConfigOptions {
  readonly env?: Env;
  readonly write?: (text: string) => void;
  readonly exit?: (code: number) => void;
}

/**
 * With PRINT_CONFIG=1 (or true), prints the resolved config with secrets redacted and exits 0,
 * so an operator can see what a pod would run with without starting it.
 */
export function printConfigIfAsked<T extends ConfigSchema>(
  config: ConfigOf<T>,
  schema: T,
  options: PrintConfigOptions = {},
): boolean {
  const flag = (options.env ?? process.env)['PRINT_CONFIG'];
  if (flag !== '1' && flag !== 'true') return false;
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  write(`${JSON.stringify(redactConfig(config, schema), null, 2)}\n`);
  (options.exit ?? process.exit)(0);
  return true;
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(',');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}
