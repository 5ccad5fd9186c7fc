import { AppError, RUNTIME_ERROR_CODES } from './app.error';

/** One invalid or missing variable. `value` (JSON-quoted) is absent for secrets. */
export interface ConfigProblem {
  readonly env: string;
  readonly reason: 'missing' | 'invalid';
  readonly value?: string;
  readonly expected: string;
}

/**
 * Thrown by `loadConfig` at boot and never later. It lists every problem at once so that an
 * operator fixes a deployment in one round instead of one variable per restart.
 */
export class ConfigError extends AppError {
  readonly service: string;
  readonly problems: readonly ConfigProblem[];

  constructor(service: string, problems: readonly ConfigProblem[]) {
    super({
      code: RUNTIME_ERROR_CODES.configInvalid,
      message: `Invalid configuration for ${service}: ${problems.map(describeProblem).join('; ')}`,
      retryable: false,
      details: { service, problems },
    });
    this.name = 'ConfigError';
    this.service = service;
    this.problems = problems;
  }
}

export function isConfigError(value: unknown): value is ConfigError {
  return value instanceof ConfigError;
}

function describeProblem(problem: ConfigProblem): string {
  if (problem.reason === 'missing') return `${problem.env} is not set, expected ${problem.expected}`;
  const got = problem.value === undefined ? ' (secret, value hidden)' : `=${problem.value}`;
  return `${problem.env}${got} is invalid, expected ${problem.expected}`;
}
