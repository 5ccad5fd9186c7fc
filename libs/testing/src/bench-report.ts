// Every benchmark ends the same way: its figures in reports/<name>.json (README "Benchmarks") and
// on stdout, so a run read in a terminal and one read from the file say the same.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findWorkspaceRoot } from '@inviteflow/infra';

export function writeBenchReport(name: string, report: unknown): void {
  const dir = join(findWorkspaceRoot(__dirname), 'reports');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(`\n${name} (reports/${name}.json):\n${JSON.stringify(report, null, 2)}\n`);
}
