import { join } from 'node:path';
import { findWorkspaceRoot } from '@inviteflow/infra';
import { buildImipMessage } from '@inviteflow/testing';
import { cli, cliEnv, cliJson } from './cli.runner';
import { eventually, startTestCluster, TestCluster } from './cluster.harness';
import { MARGE_INVITES_HOMER } from './example-mail';

const root = findWorkspaceRoot(__dirname);
// The project's own Outlook-style example (examples/mail): Marge invites Homer.
const OUTLOOK = MARGE_INVITES_HOMER.file;
const OUTLOOK_MESSAGE_ID = MARGE_INVITES_HOMER.messageId;

interface ExplainJson {
  mails: Array<{
    mailId: string;
    messageId: string;
    received: { envelopeFrom: string; envelopeTo: string[]; size: number; sha256: string; stream: string; seq: number };
    parser: { result: string; invites: Array<{ uid: string; method: string }>; outcomes: Array<{ kind: string; reasonCode: string; detail: string }> };
    appointment: {
      outcomes: Array<{ uid: string; outcome: string; meetingIds?: string[]; parkedFor?: string[]; recipients?: Array<{ address: string; meetingId?: string; outcome: string }> }>;
      meetings: Array<{ id: string; associateId: string; role: string; status: string; tentative?: boolean }>;
    };
    deadLetters: unknown[];
    scans: Array<{ truncated: boolean }>;
  }>;
}

/** `inviteflow send` prints ingest's reply, "250 … queued as <mail id>". */
function mailIdFrom(stdout: string): string {
  const id = /queued as ([0-9a-f-]{36})/.exec(stdout)?.[1];
  if (!id) throw new Error(`no mail id in: ${stdout}`);
  return id;
}

/** Explains until the appointment service (or the parser) has recorded what `ready` waits for. */
function explainWhen(env: Record<string, string>, query: string, ready: (m: ExplainJson['mails'][number]) => boolean): Promise<ExplainJson['mails'][number]> {
  return eventually(`explain ${query} to show the outcome`, 15_000, async () => {
    const run = await cliJson<ExplainJson>(['explain', query], env);
    const mail = run.body.mails?.[0];
    return run.code === 0 && mail && ready(mail) ? mail : undefined;
  });
}

describe('inviteflow explain against a running cluster', () => {
  let t: TestCluster;
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await startTestCluster(['example.org']);
    env = cliEnv(t);
    const imported = await cli(['directory', 'import', join(root, 'examples/directory.json')], env);
    if (imported.code !== 0) throw new Error(`directory import failed: ${imported.stderr}`);
  }, 90_000);

  afterAll(async () => {
    await t?.stop();
  }, 60_000);

  test('When an Outlook-style invitation reaches a known associate, then explain shows it received, parsed and APPLIED to his diary entry, by mail id and by Message-ID', async () => {
    // Arrange
    const sent = await cli(['send', OUTLOOK], env);
    const mailId = mailIdFrom(sent.stdout);

    // Act
    const mail = await explainWhen(env, mailId, (m) => m.appointment.outcomes.length > 0);

    // Assert
    expect(mail.received).toMatchObject({ envelopeFrom: 'marge@example.com', envelopeTo: ['homer@example.org'], stream: 'MAIL' });
    expect(mail.received.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(mail.parser.result).toBe('parsed');
    expect(mail.parser.invites).toHaveLength(1);
    const [invite] = mail.parser.invites;
    expect(invite!.method).toBe('REQUEST');
    expect(mail.appointment.outcomes).toEqual([expect.objectContaining({ uid: invite!.uid, outcome: 'APPLIED' })]);
    const copyId = mail.appointment.outcomes[0]!.meetingIds![0]!;
    expect(mail.appointment.outcomes[0]!.recipients).toEqual([expect.objectContaining({ address: 'homer@example.org', meetingId: copyId, outcome: 'APPLIED' })]);
    expect(mail.appointment.meetings).toEqual([expect.objectContaining({ id: copyId, role: 'attendee', status: 'active', tentative: true })]);
    expect(mail.deadLetters).toEqual([]);
    expect(mail.scans.every((s) => !s.truncated)).toBe(true);

    const byMessageId = await cliJson<ExplainJson>(['explain', OUTLOOK_MESSAGE_ID.slice(1, -1)], env);
    expect(byMessageId.code).toBe(0);
    expect(byMessageId.body.mails.map((m) => m.mailId)).toEqual([mailId]);
    const human = await cli(['explain', OUTLOOK_MESSAGE_ID], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/received\s+smtp from marge@example\.com to homer@example\.org/);
    expect(human.stdout).toMatch(/parsed\s+REQUEST uid /);
    expect(human.stdout).toContain(`REQUEST uid ${invite!.uid}: homer@example.org (copy ${copyId}): APPLIED `);
    expect(human.stdout).toContain(`the copy now: attendee's, active, SEQUENCE 0, ${MARGE_INVITES_HOMER.start}`);
    expect(human.stdout).toMatch(/ APPLIED\s+REQUEST uid /);
  }, 30_000);

  test('When a mail carries no calendar, then explain shows it ignored with reason NO_CALENDAR_CONTENT', async () => {
    // Arrange
    const raw = Buffer.from([
      'From: Marge <marge@example.org>', 'To: homer@example.org', 'Subject: Lunch?', 'Message-ID: <lunch-1@example.org>',
      'Date: Thu, 01 Jan 2026 00:00:00 +0000', 'Content-Type: text/plain; charset=utf-8', '', 'Shall we have lunch on Friday?', '',
    ].join('\r\n'));
    const sent = await t.sendMail(raw, { from: 'marge@example.org', to: ['homer@example.org'] });
    const mailId = mailIdFrom(sent.response);

    // Act
    const mail = await explainWhen(env, '<lunch-1@example.org>', (m) => m.parser.result !== 'none');

    // Assert
    expect(mail.mailId).toBe(mailId);
    expect(mail.parser).toMatchObject({ result: 'ignored', invites: [], outcomes: [{ kind: 'ignored', reasonCode: 'NO_CALENDAR_CONTENT' }] });
    expect(mail.appointment.outcomes).toEqual([]);
    const human = await cli(['explain', mailId], env);
    expect(human.stdout).toMatch(/ignored\s+NO_CALENDAR_CONTENT: /);
  }, 30_000);

  test('When an invitation is for an address in our domain that nobody holds, then explain shows it PARKED for that address', async () => {
    // Arrange
    const raw = buildImipMessage({ uid: 'explain-parked-1', organizer: 'boss@partner.example', attendees: ['h.simpson@example.org'], start: new Date('2026-05-04T09:00:00Z'), durationMinutes: 30 });
    const sent = await t.sendMail(raw, { from: 'boss@partner.example', to: ['h.simpson@example.org'] });
    const mailId = mailIdFrom(sent.response);

    // Act
    const mail = await explainWhen(env, mailId, (m) => m.appointment.outcomes.length > 0);

    // Assert
    expect(mail.appointment.outcomes).toEqual([expect.objectContaining({ uid: 'explain-parked-1', outcome: 'PARKED', parkedFor: ['h.simpson@example.org'] })]);
    expect(mail.appointment.meetings).toEqual([]);
    const human = await cli(['explain', mailId], env);
    expect(human.stdout).toMatch(/PARKED\s+REQUEST uid explain-parked-1: waits for h\.simpson@example\.org to become known/);
  }, 30_000);

  test('When the appointment service does not answer, then explain still shows what the streams hold and exits 3', async () => {
    // Arrange
    const raw = buildImipMessage({ uid: 'explain-down-1', organizer: 'boss@partner.example', attendees: ['homer@example.org'], start: new Date('2026-05-05T09:00:00Z'), durationMinutes: 30 });
    const mailId = mailIdFrom((await t.sendMail(raw, { from: 'boss@partner.example', to: ['homer@example.org'] })).response);
    await explainWhen(env, mailId, (m) => m.parser.result === 'parsed');

    // Act
    const run = await cli(['explain', mailId], { ...env, INVITEFLOW_APPOINTMENT_GRPC: '127.0.0.1:1' });

    // Assert
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/received\s+smtp from boss@partner\.example/);
    expect(run.stdout).toMatch(/note: what the appointment service did is unknown: the appointment service at 127\.0\.0\.1:1 is not answering/);
  });

  test('When the id or Message-ID is unknown, or the search was cut short by --scan-limit, then explain exits 4 and says which', async () => {
    // Arrange: two mails, so a search that reads one message cannot reach the second
    const plain = (id: string): Buffer => Buffer.from(`From: marge@example.org\r\nTo: homer@example.org\r\nMessage-ID: <${id}>\r\nSubject: hi\r\n\r\nhi\r\n`);
    for (const id of ['cut-1@example.org', 'cut-2@example.org']) await t.sendMail(plain(id), { from: 'marge@example.org', to: ['homer@example.org'] });

    // Act
    const byId = await cli(['explain', '00000000-0000-4000-8000-000000000000'], env);
    const byMessageId = await cli(['explain', '<nobody-sent-this@example.org>'], env);
    const cut = await cli(['explain', '<cut-2@example.org>', '--scan-limit', '1'], env);
    const usage = await cli(['explain'], env);
    const badLimit = await cli(['explain', 'x', '--scan-limit', '0'], env);

    // Assert
    expect(byId.code).toBe(4);
    expect(byId.stderr).toMatch(/no mail with id or Message-ID 00000000-0000-4000-8000-000000000000/);
    expect(byMessageId.code).toBe(4);
    expect(cut.code).toBe(4);
    expect(cut.stderr).toMatch(/only 1 of \d+ mail\.received\.v1 were searched \(raise --scan-limit\)/);
    expect(usage.code).toBe(2);
    expect(badLimit.code).toBe(2);
    // Five CLI processes, each starting Node and connecting: ~30 s on a busy 2-core machine.
  }, 90_000);
});
