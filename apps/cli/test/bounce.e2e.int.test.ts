// Issue 11 §5 end to end: a bounce (DSN, written the way Postfix writes one) of one of our
// invitations arrives at ingest over SMTP → the parser reads whom it failed for and which
// meeting (mail.bounced.v1) → the organizer's copy shows that attendee's delivery failed.
import { buildImipMessage, buildPostfixDsn } from '@inviteflow/testing';
import { cli, cliJson, useCliCluster } from './cli.runner';
import { eventually, upsertAssociate } from './cluster.harness';

const MARGE = 'marge@example.org';
const LENNY = 'lenny@partner.example';
const CARL = 'carl@partner.example';

interface CrmJson { uid: string }
interface MeetingJson { copies: Array<{ role: string; cautions: Array<{ code: string; detail: string }> }> }
interface HistoryJson { entries: Array<{ mailId: string; method: string; outcome: string }> }

describe('a bounce of our invitation, end to end through SMTP', () => {
  const fx = useCliCluster(['example.org']);

  test('Given Marge booked a meeting with two externals, when Lenny\'s invitation bounces (5.1.1), then Marge\'s copy shows Lenny\'s delivery failed and Carl\'s not', async () => {
    // Arrange: the booking, and the invitation as it went out to Lenny (its UID is the booking's)
    await upsertAssociate(fx.t.identity, { name: 'Marge', primaryAddress: MARGE, timeZone: 'Europe/Oslo' });
    const booked = await cliJson<CrmJson>(['book', MARGE, '--summary', 'Bakery tasting', '--start', '2026-05-04T09:00', '--end', '2026-05-04T10:00',
      '--participant', LENNY, '--participant', CARL, '--request-id', 'e2e-bounce-1'], fx.env);
    expect(booked.code).toBe(0);
    const invitation = buildImipMessage({ uid: booked.body.uid, organizer: MARGE, attendees: [LENNY], start: new Date('2026-05-04T07:00:00Z'), durationMinutes: 60, summary: 'Bakery tasting' });
    const dsn = buildPostfixDsn({ to: MARGE, failedRecipient: LENNY, original: invitation });
    // Act: the DSN comes back to the organizer's address (the invitation's envelope sender)
    const sent = await fx.t.sendMail(dsn, { from: 'mailer-daemon@mx.bakery.example.com', to: [MARGE] });
    // Assert
    expect(sent.response).toMatch(/^250/);
    const copy = await eventually('the DELIVERY_FAILED caution on Marge\'s copy', 30_000, async () => {
      const shown = await cliJson<MeetingJson>(['meeting', 'show', booked.body.uid, '--owner', MARGE], fx.env);
      const organizer = shown.body.copies.find((c) => c.role === 'organizer');
      return organizer?.cautions.some((c) => c.code === 'DELIVERY_FAILED') ? organizer : undefined;
    });
    expect(copy.cautions.filter((c) => c.code === 'DELIVERY_FAILED')).toEqual([
      { code: 'DELIVERY_FAILED', detail: expect.stringMatching(/^lenny@partner\.example — 5\.1\.1 smtp; 550 5\.1\.1 <lenny@partner\.example>: Recipient address rejected/) },
    ]);
    const human = await cli(['meeting', 'show', booked.body.uid, '--owner', MARGE], fx.env);
    expect(human.stdout).toMatch(/caution: DELIVERY_FAILED: lenny@partner\.example — 5\.1\.1/);
    expect(human.stdout).not.toMatch(/DELIVERY_FAILED: carl@/);
    const history = await cliJson<HistoryJson>(['meeting', 'history', booked.body.uid], fx.env);
    expect(history.body.entries.map((e) => [e.method, e.outcome])).toEqual(expect.arrayContaining([['REQUEST', 'APPLIED'], ['BOUNCE', 'APPLIED']]));
    const dsnMailId = /queued as (\S+)/.exec(sent.response)?.[1] ?? '';
    const explained = await cli(['explain', dsnMailId], fx.env);
    expect(explained.stdout).toMatch(/ignored +DELIVERY_STATUS_NOTIFICATION/);
    expect(explained.stdout).toMatch(/lenny@partner\.example.*APPLIED.*DELIVERY_FAILED/);
  });
});
