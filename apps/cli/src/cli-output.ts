/** Exit codes that mean something to scripts (documented in README, "CLI"). */
export const EXIT = {
  ok: 0,
  /** The command ran but some of what it was asked failed (refused import rows, ...). */
  partial: 1,
  usage: 2,
  /** A service or the infrastructure could not be reached. */
  unavailable: 3,
  notFound: 4,
  /** `parse`: the file holds no usable invitation (ignored or rejected; the reason is printed). */
  noInvitation: 5,
} as const;

export class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

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
