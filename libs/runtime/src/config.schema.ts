// Config schema building blocks. Every key names its environment variable, a doc line, an
// optional default and whether it is secret (practica's convict-style schema, typed by zod), so
// the same declaration drives validation, PRINT_CONFIG redaction and docs/configuration.md.
import type { z } from 'zod';

export interface EnvVarOptions<T> {
  /** One line for docs/configuration.md and `describeConfig`. */
  readonly doc: string;
  /** Used when the variable is unset or empty; already in the parsed (output) type. */
  readonly default?: T;
  /** Secret values never appear in error messages, PRINT_CONFIG output or docs. */
  readonly secret?: boolean;
  /** Human wording of a valid value, e.g. "a nats:// URL"; zod's own message is appended. */
  readonly expected?: string;
}

export interface EnvVar<S extends z.ZodType = z.ZodType> {
  readonly env: string;
  readonly schema: S;
  readonly doc: string;
  readonly hasDefault: boolean;
  readonly default: z.output<S> | undefined;
  readonly secret: boolean;
  readonly expected: string | undefined;
}

/** Config key (camelCase, as the code reads it) → variable declaration. */
export type ConfigSchema = Readonly<Record<string, EnvVar>>;

/** The resolved, typed config object for a schema. */
export type ConfigOf<T extends ConfigSchema> = { readonly [K in keyof T]: z.output<T[K]['schema']> };

const ENV_NAME_SHAPE = /^[A-Z][A-Z0-9_]*$/;

export function envVar<S extends z.ZodType>(
  env: string,
  schema: S,
  options: EnvVarOptions<z.output<S>>,
): EnvVar<S> {
  if (!ENV_NAME_SHAPE.test(env)) {
    throw new TypeError(`Environment variable names are UPPER_SNAKE, got "${env}"`);
  }
  return {
    env,
    schema,
    doc: options.doc,
    // `'default' in options` so that an explicit `default: undefined` still counts as optional.
    hasDefault: 'default' in options,
    default: options.default,
    secret: options.secret ?? false,
    expected: options.expected,
  };
}

/**
 * Identity at runtime; exists for inference and to reject two keys reading the same variable,
 * which would otherwise silently couple unrelated settings.
 */
export function defineConfig<T extends ConfigSchema>(schema: T): T {
  const seen = new Map<string, string>();
  for (const [key, spec] of Object.entries(schema)) {
    const previous = seen.get(spec.env);
    if (previous !== undefined) {
      throw new TypeError(`${spec.env} is declared twice (keys "${previous}" and "${key}")`);
    }
    seen.set(spec.env, key);
  }
  return schema;
}
