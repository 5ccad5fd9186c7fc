// Issue 15 points 3 and 4 end to end, through the cluster's SMTP listener and the CLI, with
// sender authentication enforced: the parser answers DNS from the test's zone (loopback SPF for
// the usual test domains; partner.example publishes SPF for another address only, and a DKIM key).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { testMailDomain } from '@inviteflow/testing';
import { cli, cliJson, useCliCluster } from './cli.runner';
import { eventually, upsertAssociate } from './cluster.harness';

const HOMER = 'homer@example.org';
const LENNY = 'lenny@partner.example';
const CARL = 'carl@example.com';
const UID = 'sender-auth-e2e@example.org';
// partner.example: SPF allows 192.0.2.10 only (not loopback), DMARC p=reject, DKIM selector "test".
const partner = testMailDomain('partner.example', { spfIp: '192.0.2.10' });

const ORGANIZER_COPY = [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//inviteflow//e2e//EN', 'METHOD:REQUEST',
  'BEGIN:VEVENT', `UID:${UID}`, 'SEQUENCE:0', 'DTSTAMP:20260401T080000Z',
  'DTSTART:20260415T080000Z', 'DTEND:20260415T090000Z', 'SUMMARY:Sender check', `ORGANIZER;CN=Homer:mailto:${HOMER}`,
  `ATTENDEE;CN=Lenny;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:${LENNY}`,
  `ATTENDEE;CN=Carl;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:${CARL}`,
  'END:VEVENT', 'END:VCALENDAR', '',
].join('\r\n');

function reply(from: string, partstat: string, tag: string): string {
  const ics = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//inviteflow//e2e//EN', 'METHOD:REPLY',
    'BEGIN:VEVENT', `UID:${UID}`, 'SEQUENCE:0', 'DTSTAMP:20260402T090000Z', 'DTSTART:20260415T080000Z',
    `ORGANIZER:mailto:${HOMER}`, `ATTENDEE;PARTSTAT=${partstat}:mailto:${from}`, 'END:VEVENT', 'END:VCALENDAR', '',
  ].join('\r\n');
  return [
    `From: <${from}>`, `To: <${HOMER}>`, `Subject: ${partstat}: Sender check`, `Message-ID: <${tag}@e2e.test>`,
    'Date: Thu, 02 Apr 2026 09:00:00 +0000', 'MIME-Version: 1.0', 'Content-Type: text/calendar; charset=utf-8; method=REPLY', '', ics,
  ].join('\r\n');
}

interface MeetingJson { copies: Array<{ attendance?: Array<{ recurrenceId?: string; attendees: Array<{ address: string; partstat: string }> }> }> }
interface ExplainJson {
  mails: Array<{ appointment: { outcomes: Array<{ method: string; outcome: string; authentication?: string; senderCheck?: string; recipients?: Array<{ outcome: string }> }> } }>;
}

/** `250 … queued as <mail id>` */
function mailIdFrom(response: string): string {
  const id = /queued as ([0-9a-f-]{36})/.exec(response)?.[1];
  if (!id) throw new Error(`no mail id in: ${response}`);
  return id;
}

describe('sender authentication end to end, through SMTP with enforcement on', () => {
  const fx = useCliCluster(['example.org'], { mailAuthZones: [partner.zone] });

  async function partstats(): Promise<Record<string, string>> {
    const run = await cliJson<MeetingJson>(['meeting', 'show', UID, '--owner', HOMER], fx.env);
    const series = run.body.copies?.[0]?.attendance?.find((a) => !a.recurrenceId);
    return Object.fromEntries((series?.attendees ?? []).map((a) => [a.address, a.partstat]));
  }

  async function explained(mailId: string): Promise<ExplainJson['mails'][number]['appointment']['outcomes'][number]> {
    return eventually(`explain ${mailId} to show the appointment outcome`, 20_000, async () => {
      const run = await cliJson<ExplainJson>(['explain', mailId], fx.env);
      return run.code === 0 ? run.body.mails?.[0]?.appointment.outcomes[0] : undefined;
    });
  }

  beforeAll(async () => {
    await upsertAssociate(fx.t.identity, { name: 'Homer', primaryAddress: HOMER, timeZone: 'Europe/Oslo' });
    const file = join(mkdtempSync(join(tmpdir(), 'inviteflow-sender-auth-')), 'meeting.ics');
    writeFileSync(file, ORGANIZER_COPY);
    const imported = await cli(['meeting', 'import', file, '--owner', HOMER], fx.env);
    if (imported.code !== 0) throw new Error(`meeting import failed: ${imported.stderr}`);
  }, 60_000);

  test('When a REPLY claims to be from Lenny but partner.example\'s SPF does not allow the sending address and nothing signs it, then nothing changes and explain shows UNVERIFIED_SENDER with the results', async () => {
    // Act
    const sent = await fx.t.sendMail(Buffer.from(reply(LENNY, 'DECLINED', 'forged')), { from: LENNY, to: [HOMER] });
    const outcome = await explained(mailIdFrom(sent.response));

    // Assert
    expect(outcome).toMatchObject({ method: 'REPLY', outcome: 'UNVERIFIED_SENDER' });
    expect(outcome.authentication).toMatch(/spf=fail/);
    expect(outcome.authentication).toMatch(/dmarc=fail/);
    expect(outcome.senderCheck).toMatch(/^unverified: dmarc=fail for partner\.example/);
    expect((await partstats())[LENNY]).toBe('NEEDS-ACTION');
    const human = await cli(['explain', mailIdFrom(sent.response)], fx.env);
    expect(human.stdout).toMatch(/sender\s+REPLY uid sender-auth-e2e@example\.org: unverified: dmarc=fail/);
    expect(human.stdout).toContain('UNVERIFIED_SENDER');
  }, 60_000);

  test('When the same kind of REPLY from Lenny is DKIM-signed by partner.example, then it is applied', async () => {
    // Act
    const signed = await partner.sign(reply(LENNY, 'ACCEPTED', 'signed'));
    const sent = await fx.t.sendMail(Buffer.from(signed), { from: LENNY, to: [HOMER] });
    const outcome = await explained(mailIdFrom(sent.response));

    // Assert
    expect(outcome.authentication).toMatch(/dkim=pass/);
    expect(outcome.senderCheck).toBe('verified');
    expect(outcome.outcome).not.toBe('UNVERIFIED_SENDER');
    expect(await eventually('Lenny ACCEPTED', 20_000, async () => ((await partstats())[LENNY] === 'ACCEPTED' ? true : undefined))).toBe(true);
  }, 60_000);

  test('When Carl replies from loopback as example.com, whose SPF allows it, over STARTTLS trusting the cluster CA, then it is applied', async () => {
    // Arrange: the cluster's throw-away CA signed ingest's certificate (cluster-smtp-security.ts).
    const [host, port] = fx.t.cluster.endpoints.smtp.split(':');
    const pki = fx.t.cluster.grpc.pki!;
    const transport = createTransport({ host, port: Number(port), secure: false, requireTLS: true, tls: { ca: [readFileSync(pki.caFile)], servername: 'localhost' } });

    // Act
    const sent = await transport.sendMail({ envelope: { from: CARL, to: [HOMER] }, raw: reply(CARL, 'TENTATIVE', 'spf-pass') }).finally(() => transport.close());
    const outcome = await explained(mailIdFrom(sent.response));

    // Assert
    expect(outcome.authentication).toMatch(/spf=pass/);
    expect(outcome.senderCheck).toBe('verified');
    expect(await eventually('Carl TENTATIVE', 20_000, async () => ((await partstats())[CARL] === 'TENTATIVE' ? true : undefined))).toBe(true);
  }, 60_000);
});
