// Issue 12 points 1 and 5 through the built CLI and services: an operator defines a mailbox on
// the run's GreenMail with the password on stdin, an invitation delivered into that mailbox
// reaches the owner's diary, and the password never comes back out of the CLI. Point 3 through
// the whole cluster: one invitation taken both by ingest's SMTP and from the mailbox (in either
// order) is announced once, counted as a duplicate, and makes one appointment.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { findWorkspaceRoot } from '@inviteflow/infra';
import { STREAMS, SUBJECTS } from '@inviteflow/contracts';
import { connectNats } from '@inviteflow/messaging';
import { eventsV1 } from '@inviteflow/proto-gen';
import { buildImipMessage, testMailServer, testNatsAuth, uniqueSuffix } from '@inviteflow/testing';
import { cli, cliJson, type CliRun, useCliCluster } from './cli.runner';
import { eventually, upsertAssociate } from './cluster.harness';

const root = findWorkspaceRoot(__dirname);

/** The built CLI with `input` on its stdin (`--password-stdin`). */
function cliWithStdin(args: string[], env: Record<string, string>, input: string): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [join(root, 'dist/apps/cli/main.js'), ...args], { env: { ...process.env, ...env }, timeout: 90_000 }, (err, stdout, stderr) => {
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

interface StatusJson { mailboxes: Array<{ id: string; state: string; connected?: boolean; lastUid?: string | number; processed?: string | number; lastErrorCode?: string }> }
interface DiaryJson { entries?: Array<{ uid: string; status: string }> }

/** Delivers `raw` into `address`'s GreenMail mailbox through GreenMail's SMTP, which adds its trace headers as a real delivery would. */
async function deliverToMailbox(raw: Buffer, address: string): Promise<void> {
  const smtp = createTransport({ host: testMailServer().smtp.host, port: testMailServer().smtp.port, secure: false, ignoreTLS: true });
  try {
    await smtp.sendMail({ envelope: { from: 'marge@partner.example', to: [address] }, raw });
  } finally {
    smtp.close();
  }
}

describe('mailbox intake through the CLI', () => {
  const fx = useCliCluster(['example.org']);

  /** The mail.received.v1 events on the cluster's MAIL stream with this Message-ID. */
  async function announcedWith(messageId: string): Promise<eventsV1.MailReceived[]> {
    const nats = await connectNats({ servers: [fx.t.infra.natsUrl], name: 'mailbox-e2e', auth: testNatsAuth() });
    try {
      const info = await nats.jsm.streams.info(STREAMS.mail.name);
      const out: eventsV1.MailReceived[] = [];
      for (let seq = info.state.first_seq; info.state.messages > 0 && seq <= info.state.last_seq; seq += 1) {
        const msg = await nats.jsm.streams.getMessage(STREAMS.mail.name, { seq }).catch(() => null);
        if (msg?.subject === SUBJECTS.mailReceivedV1) out.push(eventsV1.MailReceived.decode(msg.data));
      }
      return out.filter((e) => e.messageId === messageId);
    } finally {
      await nats.drain();
    }
  }

  /** Ingest's count of mails recognised as copies (inviteflow_mail_duplicates_total). */
  async function duplicatesCounted(): Promise<number> {
    const text = await (await fetch(`http://${fx.t.cluster.endpoints.health['ingest']}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('inviteflow_mail_duplicates_total'));
    return line ? Number(line.split(' ').at(-1)) : 0;
  }

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

  test('Given a mailbox the cluster reads, when one invitation comes both by SMTP and into the mailbox (either order), then it is announced once, the copy is counted, and the diary holds one appointment', async () => {
    // Arrange
    const { address, password } = await greenMailUser();
    await upsertAssociate(fx.t.identity, { name: 'Owner', primaryAddress: address, timeZone: 'Europe/Oslo' });
    const imap = testMailServer().imap;
    const id = `mb-${uniqueSuffix()}`;
    expect(await cliWithStdin(['mailbox', 'add', id, '--host', imap.host, '--port', String(imap.port), '--no-tls', '--user', address, '--password-stdin'], fx.env, `${password}\n`)).toMatchObject({ code: 0, stderr: '' });
    const processed = async (): Promise<number> => Number((await cliJson<StatusJson>(['mailbox', 'status', id], fx.env)).body.mailboxes[0]?.processed ?? 0);
    await eventually('the mailbox connected', 60_000, async () => ((await cliJson<StatusJson>(['mailbox', 'status', id], fx.env)).body.mailboxes[0]?.connected ? true : undefined));
    const invite = (uid: string): Buffer => buildImipMessage({ uid, organizer: 'marge@partner.example', attendees: [address], start: new Date('2026-06-02T09:00:00Z'), durationMinutes: 30, summary: uid });
    const smtpFirst = `twice-smtp-first-${uniqueSuffix()}`;
    const mailboxFirst = `twice-mailbox-first-${uniqueSuffix()}`;
    const duplicatesBefore = await duplicatesCounted();

    // Act: SMTP first; once it is announced, the mailbox copy.
    await fx.t.sendMail(invite(smtpFirst), { from: 'marge@partner.example', to: [address] });
    await eventually('the SMTP copy announced', 60_000, async () => ((await announcedWith(`<${smtpFirst}@tests.inviteflow>`)).length > 0 ? true : undefined));
    await deliverToMailbox(invite(smtpFirst), address);
    await eventually('the mailbox copy read', 60_000, async () => ((await processed()) >= 1 ? true : undefined));
    // Then the other order: the mailbox copy first, once read, the SMTP copy.
    await deliverToMailbox(invite(mailboxFirst), address);
    await eventually('the mailbox copy read', 60_000, async () => ((await processed()) >= 2 ? true : undefined));
    await fx.t.sendMail(invite(mailboxFirst), { from: 'marge@partner.example', to: [address] });

    // Assert
    const diary = await eventually('both invitations in the diary', 90_000, async () => {
      const entries = (await cliJson<DiaryJson>(['diary', address], fx.env)).body.entries ?? [];
      return [smtpFirst, mailboxFirst].every((uid) => entries.some((e) => e.uid === uid)) ? entries : undefined;
    });
    expect(diary.filter((e) => e.uid === smtpFirst)).toHaveLength(1);
    expect(diary.filter((e) => e.uid === mailboxFirst)).toHaveLength(1);
    // The SMTP answer (250) comes after the copy is recognised, so both copies are in by now.
    expect((await announcedWith(`<${smtpFirst}@tests.inviteflow>`)).map((e) => e.source)).toEqual(['smtp']);
    expect((await announcedWith(`<${mailboxFirst}@tests.inviteflow>`)).map((e) => e.source)).toEqual([`imap:${id}`]);
    expect(await duplicatesCounted()).toBe(duplicatesBefore + 2);
  }, 300_000);

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
