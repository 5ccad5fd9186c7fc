// Issue 12 points 1 and 5 through the built CLI and services: an operator defines a mailbox on
// the run's GreenMail with the password on stdin, an invitation delivered into that mailbox
// reaches the owner's diary, and the password never comes back out of the CLI.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { findWorkspaceRoot } from '@inviteflow/infra';
import { buildImipMessage, testMailServer, uniqueSuffix } from '@inviteflow/testing';
import { cli, cliJson, type CliRun, useCliCluster } from './cli.runner';
import { eventually, upsertAssociate } from './cluster.harness';

const root = findWorkspaceRoot(__dirname);

/** The built CLI with `input` on its stdin (`--password-stdin`). */
function cliWithStdin(args: string[], env: Record<string, string>, input: string): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [join(root, 'dist/apps/cli/main.js'), ...args], { env: { ...process.env, ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
    child.stdin!.end(input);
  });
}

async function greenMailUser(): Promise<{ address: string; password: string }> {
  const address = `owner-${uniqueSuffix()}@example.org`;
  const password = `pw-${uniqueSuffix()}-never-printed`;
  const res = await fetch(new URL('api/user', testMailServer().apiUrl!), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: address, login: address, password }),
  });
  if (!res.ok) throw new Error(`GreenMail refused the user: HTTP ${res.status}`);
  return { address, password };
}

interface StatusJson { mailboxes: Array<{ id: string; state: string; connected?: boolean; lastUid?: string | number; lastErrorCode?: string }> }
interface DiaryJson { entries?: Array<{ uid: string; status: string }> }

describe('mailbox intake through the CLI', () => {
  const fx = useCliCluster(['example.org']);

  test('Given a mailbox added with its password on stdin, when an invitation is delivered into it, then it reaches the diary and the password is never printed', async () => {
    // Arrange
    const { address, password } = await greenMailUser();
    await upsertAssociate(fx.t.identity, { name: 'Owner', primaryAddress: address, timeZone: 'Europe/Oslo' });
    const imap = testMailServer().imap;
    const id = `mb-${uniqueSuffix()}`;
    // Act
    const added = await cliWithStdin(['mailbox', 'add', id, '--host', imap.host, '--port', String(imap.port), '--no-tls', '--user', address, '--password-stdin'], fx.env, `${password}\n`);
    const uid = `imap-e2e-${uniqueSuffix()}`;
    const raw = buildImipMessage({ uid, organizer: 'marge@partner.example', attendees: [address], start: new Date('2026-06-01T09:00:00Z'), durationMinutes: 30, summary: uid });
    const smtp = createTransport({ host: testMailServer().smtp.host, port: testMailServer().smtp.port, secure: false, ignoreTLS: true });
    await smtp.sendMail({ envelope: { from: 'marge@partner.example', to: [address] }, raw });
    smtp.close();
    // Assert
    expect(added).toMatchObject({ code: 0, stderr: '' });
    const diary = await eventually('the invitation in the diary', 90_000, async () => {
      const run = await cliJson<DiaryJson>(['diary', address], fx.env);
      return run.body.entries?.find((e) => e.uid === uid);
    });
    expect(diary.status).toBe('DIARY_STATUS_TENTATIVE');
    const status = await cliJson<StatusJson>(['mailbox', 'status', id], fx.env);
    expect(status.code).toBe(0);
    expect(status.body.mailboxes[0]).toMatchObject({ id, state: 'connected', connected: true });
    const listed = await cli(['mailbox', 'list'], fx.env);
    expect(listed.stdout).toMatch(new RegExp(`${id} .*password: set`));
    for (const run of [added, listed, await cli(['mailbox', 'list', '--json'], fx.env), await cli(['mailbox', 'status'], fx.env)]) {
      expect(run.stdout + run.stderr).not.toContain(password);
    }
  }, 180_000);

  test('When a mailbox is added with a bad host, then exit 2 names the field and its code; when an unknown one is removed, then exit 4', async () => {
    const bad = await cliWithStdin(['mailbox', 'add', 'bad-host', '--host', 'imaps://mail.example.com', '--user', 'u', '--password-stdin'], fx.env, 'pw');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/host: .*\[MAILBOX_INVALID_SERVER\]/);
    const gone = await cli(['mailbox', 'remove', 'no-such-mailbox'], fx.env);
    expect(gone.code).toBe(4);
  }, 90_000);

  test('When --password is given on the command line, then the CLI warns that it lands in shell history', async () => {
    const run = await cli(['mailbox', 'add', `plain-${uniqueSuffix()}`, '--host', '127.0.0.1', '--port', '1', '--no-tls', '--user', 'u', '--password', 'visible'], fx.env);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: --password puts the secret into shell history/);
  }, 90_000);
});
