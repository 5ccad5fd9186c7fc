// Boot-time config resolution: environment → typed, frozen object, or one ConfigError naming
// every bad variable. Nothing reads process.env after this (house-style §6: throws on boot,
// never later).
import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from './config.error';
import type { ConfigOf, ConfigSchema, EnvVar } from './config.schema';

export type Env = Readonly<Record<string, string | undefined>>;

export interface LoadConfigOptions {
  /** Named in the error so a crash-looping pod's log says whose config is wrong. */
  readonly service: string;
}

type Resolution = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: ConfigProblem };

const MAX_SHOWN_VALUE = 80;

export function loadConfig<T extends ConfigSchema>(schema: T, env: Env, options: LoadConfigOptions): ConfigOf<T> {
  const resolved: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [key, spec] of Object.entries(schema)) {
    const result = resolveVar(spec, env[spec.env]);
    if (result.ok) resolved[key] = result.value;
    else problems.push(result.problem);
  }
  if (problems.length > 0) throw new ConfigError(options.service, problems);
  return Object.freeze(resolved) as ConfigOf<T>;
}

function resolveVar(spec: EnvVar, raw: string | undefined): Resolution {
  // Empty counts as unset: manifests and .env files write `FOO=` to mean "not configured", and
  // an empty port, URL or level is never a meaningful value here.
  const present = raw !== undefined && raw.trim() !== '';
  if (!present && spec.hasDefault) return { ok: true, value: spec.default };
  const parsed = spec.schema.safeParse(present ? raw : undefined);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, problem: toProblem(spec, present ? raw : undefined, parsed.error) };
}

function toProblem(spec: EnvVar, raw: string | undefined, error: z.ZodError): ConfigProblem {
  const zodMessage = error.issues.map((issue) => issue.message).join(', ');
  const expected = spec.expected === undefined ? zodMessage : `${spec.expected} (${zodMessage})`;
  if (raw === undefined) return { env: spec.env, reason: 'missing', expected: spec.expected ?? zodMessage };
  if (spec.secret) return { env: spec.env, reason: 'invalid', expected };
  return { env: spec.env, reason: 'invalid', value: JSON.stringify(truncate(raw)), expected };
}

function truncate(value: string): string {
  return value.length <= MAX_SHOWN_VALUE ? value : `${value.slice(0, MAX_SHOWN_VALUE)}…`;
}
