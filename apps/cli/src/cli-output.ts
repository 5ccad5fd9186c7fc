// EXIT and the error helpers live in cli-errors.ts; re-exported so commands import one module.
export { EXIT, cliError, exitCodeOf, isCliError, CLI_ERROR_CODES } from './cli-errors';
export type { CliErrorCode } from './cli-errors';

export interface Output {
  json: boolean;
  /** Prints `human` as text, or `data` as one JSON document with --json. */
  result(data: unknown, human: string): void;
}

export function output(json: boolean): Output {
  return {
    json,
    result(data, human) {
      process.stdout.write(json ? JSON.stringify(data, null, 2) + '\n' : human.endsWith('\n') ? human : human + '\n');
    },
  };
}

/** A fixed-width text table for people; --json is the format for scripts. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
