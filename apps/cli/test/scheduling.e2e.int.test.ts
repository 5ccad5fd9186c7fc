// Issue 9 end to end through SMTP, with the CLI a person would use: an organizer's copy seeded
// by `meeting import`, an external attendee's Outlook-style REPLY (no ORGANIZER) by mail, and the
// real-client corpus's multi-message sequences sent in order — then `meeting show`, `meeting
// history` and `diary` say what a person expects.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusDir } from '@inviteflow/testing';
import { cli, cliJson, useCliCluster } from './cli.runner';
import { eventually, upsertAssociate } from './cluster.harness';

const MARGE = 'marge@example.org';
const LENNY = 'lenny@partner.example';
const CARL = 'carl@partner.example';
const UID = 'budget-review-2026@example.org';

const ORGANIZER_COPY = [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//inviteflow//e2e//EN', 'METHOD:REQUEST',
  'BEGIN:VEVENT', `UID:${UID}`, 'SEQUENCE:0', 'DTSTAMP:20260401T080000Z',
  'DTSTART;TZID=Europe/Oslo:20260415T100000', 'DTEND;TZID=Europe/Oslo:20260415T110000', 'SUMMARY:Budget review',
  `ORGANIZER;CN=Marge:mailto:${MARGE}`,
  `ATTENDEE;CN=Lenny;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:${LENNY}`,
  `ATTENDEE;CN=Carl;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:${CARL}`,
  'END:VEVENT', 'END:VCALENDAR', '',
].join('\r\n');

/** Outlook's REPLY: METHOD:REPLY, the replying ATTENDEE, and no ORGANIZER (matched by UID). */
function outlookReply(from: string, partstat: string): Buffer {
  const ics = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:Microsoft Exchange Server 2010', 'METHOD:REPLY',
    'BEGIN:VEVENT', `UID:${UID}`, 'SEQUENCE:0', 'DTSTAMP:20260402T090000Z', 'DTSTART:20260415T080000Z',
    `ATTENDEE;PARTSTAT=${partstat}:mailto:${from}`, 'END:VEVENT', 'END:VCALENDAR', '',
  ].join('\r\n');
  return Buffer.from([
    `From: Lenny <${from}>`, `To: Marge <${MARGE}>`, `Subject: Accepted: Budget review`, `Message-ID: <reply-${partstat}@partner.example>`,
    'Date: Thu, 02 Apr 2026 09:00:00 +0000', 'MIME-Version: 1.0', 'Content-Type: text/calendar; charset=utf-8; method=REPLY', '', ics,
  ].join('\r\n'));
}

interface MeetingJson { copies: Array<{ associateId: string; role: string; attendance?: Array<{ recurrenceId?: string; attendees: Array<{ address: string; partstat: string; source: string }> }> }> }
interface HistoryJson { entries: Array<{ mailId: string; method: string; outcome: string }> }
interface DiaryJson { entries?: Array<{ uid: string; start: string; status: string }> }

describe('the scheduling agent end to end, through SMTP and the CLI', () => {
  const fx = useCliCluster(['example.org', 'example.com']);

  test('When an organizer\'s copy is imported and an attendee replies by mail without ORGANIZER, then meeting show has them ACCEPTED and the history lists both', async () => {
    // Arrange
    const marge = await upsertAssociate(fx.t.identity, { name: 'Marge', primaryAddress: MARGE, timeZone: 'Europe/Oslo' });
    const file = join(mkdtempSync(join(tmpdir(), 'inviteflow-import-')), 'budget.ics');
    writeFileSync(file, ORGANIZER_COPY);
    const imported = await cli(['meeting', 'import', file, '--owner', MARGE], fx.env);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('APPLIED');
    // Act
    const sent = await fx.t.sendMail(outlookReply(LENNY, 'ACCEPTED'), { from: LENNY, to: [MARGE] });
    expect(sent.response).toMatch(/^250/);
    // Assert
    const shown = await eventually('Lenny ACCEPTED on Marge\'s copy', 20_000, async () => {
      const run = await cliJson<MeetingJson>(['meeting', 'show', UID, '--owner', MARGE], fx.env);
      const series = run.body.copies[0]?.attendance?.find((a) => !a.recurrenceId);
      return series?.attendees.some((a) => a.address === LENNY && a.partstat === 'ACCEPTED') ? run.body : undefined;
    });
    expect(shown.copies.map((c) => [c.associateId, c.role])).toEqual([[marge.associate!.id, 'organizer']]);
    const series = shown.copies[0]!.attendance!.find((a) => !a.recurrenceId)!;
    expect(series.attendees.map((a) => [a.address, a.partstat])).toEqual([[CARL, 'NEEDS-ACTION'], [LENNY, 'ACCEPTED']]);
    const history = await cliJson<HistoryJson>(['meeting', 'history', UID], fx.env);
    expect(history.body.entries.map((e) => [e.method, e.outcome])).toEqual([['REQUEST', 'APPLIED'], ['REPLY', 'APPLIED']]);
    const text = await cli(['meeting', 'show', UID, '--owner', MARGE], fx.env);
    expect(text.stdout).toContain(LENNY);
    expect(text.stdout).toContain('ACCEPTED');
  }, 90_000);

  /** Sends the corpus files in order, each once the previous one has its outcome recorded. */
  async function sendInOrder(files: string[], to: string, uid: string): Promise<string[]> {
    for (const [i, f] of files.entries()) {
      const sent = await fx.t.sendMail(readFileSync(join(corpusDir(), f)), { from: 'sender@example.com', to: [to] });
      expect(sent.response).toMatch(/^250/);
      await eventually(`${f} recorded`, 20_000, async () => {
        const h = await cliJson<HistoryJson>(['meeting', 'history', uid], fx.env);
        return h.code === 0 && h.body.entries.length === i + 1 ? h : undefined;
      });
    }
    return (await cliJson<HistoryJson>(['meeting', 'history', uid], fx.env)).body.entries.map((e) => `${e.method} ${e.outcome}`);
  }

  test('When the corpus\'s Gmail series mails arrive in order (series, moved occurrence, series update, older cancel), then the diary shows three instances at the new time', async () => {
    await upsertAssociate(fx.t.identity, { name: 'Receiver', primaryAddress: 'receiver@example.com', timeZone: 'Europe/Oslo' });
    const outcomes = await sendInOrder([
      'gmail-envelope__request-daily-count3.eml', 'gmail-envelope__request-exception-recurrence-id.eml',
      'gmail-envelope__request-series-update-seq2.eml', 'gmail-envelope__cancel-series-missing-dtstart.eml',
    ], 'receiver@example.com', '02e79b96');
    expect(outcomes).toEqual(['REQUEST APPLIED', 'REQUEST APPLIED', 'REQUEST APPLIED', 'CANCEL STALE']);
    const diary = await cliJson<DiaryJson>(['diary', 'receiver@example.com', '--from', '2022-03-01', '--to', '2022-03-31'], fx.env);
    expect(diary.code).toBe(0);
    expect((diary.body.entries ?? []).map((e) => [e.start, e.status])).toEqual([
      ['2022-03-16T05:00:00.000Z', 'DIARY_STATUS_TENTATIVE'], ['2022-03-17T05:00:00.000Z', 'DIARY_STATUS_TENTATIVE'], ['2022-03-18T05:00:00.000Z', 'DIARY_STATUS_TENTATIVE'],
    ]);
  }, 120_000);

  test('When the corpus\'s Fastmail single meeting is invited, updated and cancelled, then the diary keeps it as cancelled', async () => {
    // Other <other@example.com> is the meeting's other attendee: the mails reach their copy.
    await upsertAssociate(fx.t.identity, { name: 'Other', primaryAddress: 'other@example.com', timeZone: 'Europe/Oslo' });
    const files = ['fastmail__request-single-dtend-and-duration.eml', 'fastmail__request-update-minor-seq0.eml', 'fastmail__cancel-single-event.eml'];
    for (const f of files) {
      const sent = await fx.t.sendMail(readFileSync(join(corpusDir(), f)), { from: 'sender@example.com', to: ['other@example.com'] });
      expect(sent.response).toMatch(/^250/);
    }
    const diary = await eventually('the cancelled meeting in Other\'s diary', 30_000, async () => {
      const run = await cliJson<DiaryJson>(['diary', 'other@example.com', '--from', '2022-03-01', '--to', '2022-03-31'], fx.env);
      const entries = run.body.entries ?? [];
      return entries.length === 1 && entries[0]!.status === 'DIARY_STATUS_CANCELLED' ? entries : undefined;
    });
    expect(diary.map((e) => [e.uid, e.start])).toEqual([['02e79b96', '2022-03-16T11:00:00.000Z']]);
  }, 120_000);
});
