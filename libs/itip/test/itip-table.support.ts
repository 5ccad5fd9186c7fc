// Table-driven iTIP cases in sabre's BrokerTester style: stored iCalendar (applied to an empty
// store, the way `meeting import` seeds a copy) + incoming iCalendar → decision + stored iCalendar.
import type { eventsV1 } from '@inviteflow/proto-gen';
import { vcalendar, vevent } from '@inviteflow/testing';
import { inviteFromIcs } from './itip-fixtures';
import { applyMessage, recordOwnAnswer, toICalendar, type ApplyContext, type ApplyResult, type Meeting, type ReasonCode } from '../src/index';

export const MARGE = 'marge@example.org';
export const HOMER = 'homer@example.org';
export const LENNY = 'lenny@example.net';
export const CARL = 'carl@example.net';
export const UID = 'tasting-1';

export const OWNERS = {
  homer: { associateId: 'a-homer', addresses: [HOMER, 'h.simpson@example.org'], timeZone: 'Europe/Berlin' },
  marge: { associateId: 'a-marge', addresses: [MARGE], timeZone: 'America/New_York' },
} as const;

export interface Ev {
  seq?: number;
  /** DTSTAMP, compact UTC (20260101T100000Z). */
  stamp?: string;
  /** DTSTART / DTEND wall time in Europe/Berlin; null leaves DTSTART out. */
  start?: string | null;
  end?: string;
  /** A whole RECURRENCE-ID line, e.g. 'RECURRENCE-ID;TZID=Europe/Berlin:20260309T090000'. */
  rid?: string;
  rrule?: string | null;
  organizer?: string | null;
  attendees?: string[];
  summary?: string;
  extra?: string[];
}

export const att = (address: string, partstat = 'NEEDS-ACTION', params = ''): string => `ATTENDEE;PARTSTAT=${partstat}${params}:mailto:${address}`;
export const DEFAULT_ATTENDEES = [att(HOMER, 'NEEDS-ACTION', ';RSVP=TRUE'), att(LENNY, 'NEEDS-ACTION', ';RSVP=TRUE')];

/** A VEVENT of the weekly tasting (Mondays 09:00 Berlin), with the given differences. */
export function ev(e: Ev = {}): string[] {
  const start = e.start === undefined ? '20260302T090000' : e.start;
  const end = e.end ?? (start ? start.replace(/T(\d\d)/, (_, h: string) => `T${String(Number(h) + 1).padStart(2, '0')}`) : undefined);
  return vevent(
    `UID:${UID}`, `SEQUENCE:${e.seq ?? 0}`, `DTSTAMP:${e.stamp ?? '20260101T100000Z'}`,
    ...(e.rid ? [e.rid] : []),
    ...(start ? [`DTSTART;TZID=Europe/Berlin:${start}`, `DTEND;TZID=Europe/Berlin:${end}`] : []),
    ...(e.rrule === undefined || e.rid ? (e.rid ? [] : ['RRULE:FREQ=WEEKLY;COUNT=6']) : e.rrule ? [`RRULE:${e.rrule}`] : []),
    `SUMMARY:${e.summary ?? 'Tasting'}`,
    ...(e.organizer === null ? [] : [`ORGANIZER;CN=Marge:mailto:${e.organizer ?? MARGE}`]),
    ...(e.attendees ?? DEFAULT_ATTENDEES), ...(e.extra ?? []),
  );
}

export function cal(method: string, ...events: string[][]): string {
  return vcalendar(method, ...events.flat());
}

export function ctxFor(owner: keyof typeof OWNERS, sender: string[] = []): ApplyContext {
  return { now: '2026-02-01T12:00:00.000Z', owner: { ...OWNERS[owner], addresses: [...OWNERS[owner].addresses] }, newMeetingId: `m-${owner}`, senderAddresses: sender };
}

export function parse(ics: string, mailId = 'mail-x'): eventsV1.InviteParsed {
  return inviteFromIcs(ics, { mailId });
}

/** A stored-state message: iCalendar text (from the organizer), or [text, sender addresses]. */
export type Given = string | [string, string[]];

/** The stored copy: each given iCalendar applied in turn to an empty store (or to `start`). */
export function seed(owner: keyof typeof OWNERS, given: Given[], start?: Meeting): Meeting | undefined {
  let stored: Meeting | undefined = start;
  given.forEach((g, i) => {
    const [ics, sender] = typeof g === 'string' ? [g, [MARGE]] : g;
    stored = applyMessage(stored, parse(ics, `seed-${i}`), ctxFor(owner, sender)).next;
  });
  return stored;
}

export interface Case {
  name: string;
  owner: keyof typeof OWNERS;
  given: Given[];
  /** The owner answered (in the CRM) before the message: [PARTSTAT, RECURRENCE-ID or '']. */
  answered?: [string, string];
  when: string;
  /** Addresses identity resolved the mail's sender to; the organizer by default. */
  sender?: string[];
  code: ReasonCode;
  reason?: string;
  /** Lines the stored iCalendar must contain (after the message). */
  has?: string[];
  lacks?: string[];
  /** The whole stored iCalendar, when the case is about its full shape. */
  ics?: string[];
  outbound?: { method: string; to: string[] };
}

export function unfold(ics: string): string[] {
  return ics.replace(/\r\n /g, '').split('\r\n').filter(Boolean);
}

export function runCase(c: Case): { result: ApplyResult; ics: string[] } {
  const seeded = seed(c.owner, c.given);
  const stored = seeded && c.answered ? recordOwnAnswer(seeded, c.answered[0], c.answered[1], '2026-01-15T00:00:00.000Z') : seeded;
  const result = applyMessage(stored, parse(c.when), ctxFor(c.owner, c.sender ?? [MARGE]));
  return { result, ics: result.next ? unfold(toICalendar(result.next)) : [] };
}

export function checkCase(c: Case): void {
  const { result, ics } = runCase(c);
  const codes = result.decisions.map((d) => `${d.code}${c.reason ? `/${d.reason}` : ''}`);
  expect(codes).toContain(c.reason ? `${c.code}/${c.reason}` : c.code);
  if (c.code !== 'APPLIED') expect(result.decisions.map((d) => d.code)).not.toContain('APPLIED');
  for (const line of c.has ?? []) expect(ics).toContain(line);
  for (const line of c.lacks ?? []) expect(ics).not.toContain(line);
  if (c.ics) expect(ics).toEqual(c.ics);
  if (c.outbound) {
    expect(result.outbound.map((o) => ({ method: o.method, to: o.recipients.map((r) => r.address) }))).toEqual([c.outbound]);
  }
}
