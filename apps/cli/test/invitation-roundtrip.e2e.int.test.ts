// Issues 10 and 11 joined up, as a user would see them: Marge books in the CRM, the invitation
// goes out through outbound-mail to a real mail server (the run's GreenMail), arrives as an iMIP
// REQUEST that the project's own parser reads back, and Lenny — a Gmail user who sends no REPLY —
// answers with the Accept link in that very mail: his PARTSTAT on Marge's copy becomes ACCEPTED.
import { parseMail } from '@inviteflow/parser-core';
import { testMailServer } from '@inviteflow/testing';
import { cliJson, useCliCluster } from './cli.runner';
import { eventually, upsertAssociate } from './cluster.harness';

const MARGE = 'marge@example.org';
const LENNY = 'lenny.roundtrip@partner.example';

interface GreenMailMessage { subject: string; mimeMessage: string }
interface MeetingJson { copies: Array<{ role: string; attendance?: Array<{ recurrenceId?: string; attendees: Array<{ address: string; partstat: string }> }> }> }

describe('a booked meeting, delivered, answered by its RSVP link', () => {
  const mail = testMailServer();
  const fx = useCliCluster(['example.org'], { mailRelay: mail.smtp });

  async function inbox(address: string): Promise<GreenMailMessage[]> {
    const res = await fetch(new URL(`api/user/${address}/messages/INBOX`, mail.apiUrl));
    return res.status === 200 ? ((await res.json()) as GreenMailMessage[]) : [];
  }

  test('When Marge books with Lenny, then Lenny receives a REQUEST our parser reads back, and its Accept link makes him ACCEPTED on Marge\'s copy', async () => {
    // Arrange
    await upsertAssociate(fx.t.identity, { name: 'Marge', primaryAddress: MARGE, timeZone: 'Europe/Oslo', locale: 'nb-NO' });
    const booked = await cliJson<{ uid: string }>(['book', MARGE, '--summary', 'Roundtrip review', '--start', '2026-06-03T09:00', '--end', '2026-06-03T10:00',
      '--participant', LENNY, '--request-id', 'roundtrip-book-1'], fx.env);
    expect(booked.code).toBe(0);
    const uid = booked.body.uid;
    // Act 1: the invitation reaches Lenny's mailbox on the real mail server
    const [received] = await eventually('the invitation in Lenny\'s mailbox', 30_000, async () => {
      const messages = await inbox(LENNY);
      return messages.length > 0 ? messages : undefined;
    });
    // Assert 1: what arrived is the iTIP REQUEST that was asked for
    const raw = Buffer.from(received!.mimeMessage, 'utf8');
    const parsed = await parseMail(raw, { mailId: 'roundtrip', envelopeFrom: MARGE, envelopeTo: [LENNY] });
    expect(parsed.kind).toBe('parsed');
    if (parsed.kind !== 'parsed') return;
    expect(parsed.invites.map((i) => [i.method, i.uid])).toEqual([['REQUEST', uid]]);
    expect(parsed.invites[0]!.events[0]!.start?.toISOString()).toBe('2026-06-03T07:00:00.000Z');
    expect(parsed.invites[0]!.events[0]!.attendees.map((a) => a.address)).toContain(LENNY);
    // Act 2: Lenny follows the Accept link of that mail and confirms (the page answers on POST)
    const link = /https?:\/\/[^\s"<>]+\/rsvp\/[A-Za-z0-9._-]+/g;
    const links = [...new Set(received!.mimeMessage.replace(/=\r?\n/g, '').match(link) ?? [])];
    expect(links).toHaveLength(3);
    // Each link's token names its answer (docs/outbound.md: `<key id>.<base64url JSON>.<signature>`, "p": PARTSTAT).
    const answerOf = (l: string): string => (JSON.parse(Buffer.from(l.split('/rsvp/')[1]!.split('.')[1]!, 'base64url').toString('utf8')) as { p: string }).p;
    expect(links.map(answerOf).sort()).toEqual(['ACCEPTED', 'DECLINED', 'TENTATIVE']);
    const accept = links.find((l) => answerOf(l) === 'ACCEPTED')!;
    expect((await fetch(accept)).status).toBe(200);
    const confirmed = await fetch(accept, { method: 'POST' });
    expect(confirmed.status).toBe(200);
    // Assert 2: the organizer's copy has his answer
    const answered = await eventually('Lenny\'s answer on Marge\'s copy', 20_000, async () => {
      const shown = await cliJson<MeetingJson>(['meeting', 'show', uid, '--owner', MARGE], fx.env);
      const series = shown.body.copies.find((c) => c.role === 'organizer')?.attendance?.find((a) => !a.recurrenceId);
      const lenny = series?.attendees.find((a) => a.address === LENNY);
      return lenny && lenny.partstat !== 'NEEDS-ACTION' ? lenny.partstat : undefined;
    });
    expect(answered).toBe('ACCEPTED');
  }, 120_000);
});
