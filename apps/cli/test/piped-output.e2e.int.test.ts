import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findWorkspaceRoot } from '@inviteflow/infra';

// Issue 8: `diary --json | jq` received 131 072 of 881 084 bytes, because the CLI called
// process.exit() while a piped stdout still held queued output. `parse` needs no cluster, and
// a calendar of many meetings makes its --json output well over 1 MiB.
const root = findWorkspaceRoot(__dirname);
const cliBundle = join(root, 'dist/apps/cli/main.js');
const MEETINGS = 900;
const ATTENDEES = 8;

/** One REQUEST with MEETINGS VEVENTs of their own UIDs (the parser's limit is 1000). */
function largeCalendar(): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//inviteflow tests//EN', 'METHOD:REQUEST'];
  for (let i = 0; i < MEETINGS; i++) {
    lines.push('BEGIN:VEVENT', `UID:piped-${i}@example.com`, 'SEQUENCE:0', 'DTSTAMP:20260101T000000Z',
      `DTSTART:20260301T${String(8 + (i % 10)).padStart(2, '0')}0000Z`, 'DURATION:PT30M', `SUMMARY:Meeting ${i}`,
      'ORGANIZER;CN=Marge:mailto:marge@example.com');
    for (let a = 0; a < ATTENDEES; a++) lines.push(`ATTENDEE;CN=Person ${a};PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:person${a}@example.org`);
    lines.push('END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.join('\r\n') + '\r\n';
}

/** Runs the built CLI with stdout as a pipe and collects every byte until the pipe closes. */
function runPiped(args: string[]): Promise<{ code: number | null; stdout: Buffer }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliBundle, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout: Buffer.concat(chunks) }));
  });
}

describe('--json output through a pipe', () => {
  beforeAll(() => {
    if (!existsSync(cliBundle)) throw new Error(`${cliBundle} is missing: run npx nx run cli:build (or ./dev build) first`);
  });

  test('When parse --json prints more than 1 MiB into a pipe, then the whole document arrives and parses', async () => {
    // Arrange
    const file = join(mkdtempSync(join(tmpdir(), 'cli-piped-')), 'many-meetings.ics');
    writeFileSync(file, largeCalendar());

    // Act
    const run = await runPiped(['parse', file, '--json']);

    // Assert
    expect(run.code).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(1024 * 1024);
    const body = JSON.parse(run.stdout.toString('utf8')) as { outcome: string; invites: Array<{ uid: string }> };
    expect(body.outcome).toBe('parsed');
    expect(body.invites).toHaveLength(MEETINGS);
    expect(body.invites.at(-1)?.uid).toBe(`piped-${MEETINGS - 1}@example.com`);
  }, 60_000);
});
