// The scheduling bench's workload: the meetings it seeds and the inbound messages it sends.
// Pure (no I/O): both the seeding and the message mix are built from plain indexes, so every
// cell of the bench gets the same shape of work.
import { eventsV1 } from '@inviteflow/proto-gen';

export const OUR_DOMAIN = 'example.org';
export const ASSOCIATES = 100;
export const ASSOCIATE_ZONE = 'Europe/Oslo';
const GUESTS = ['guest0@partner.example', 'guest1@partner.example', 'guest2@partner.example', 'guest3@partner.example'];
const PARTSTATS = ['ACCEPTED', 'DECLINED', 'TENTATIVE'];
const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
/** Weekly series start on a Monday and run 52 weeks: an instance CANCEL names one of them. */
const SERIES_START = Date.parse('2026-01-05T09:00:00Z');
const SERIES_WEEKS = 52;
const ONE_OFF_START = Date.parse('2026-06-01T08:00:00Z');
const SEEDED_AT = Date.parse('2026-03-01T08:00:00Z');

export const associateId = (k: number): string => `A${k}`;
export const associateAddress = (k: number): string => `a${k}@${OUR_DOMAIN}`;

/** What a stored meeting is for in the mix: updated by its organizer, answered, or a series to cancel instances of. */
export type SeedKind = 'attendee' | 'organizer' | 'series';

export interface SeedMeeting {
  index: number;
  kind: SeedKind;
  uid: string;
  associate: number;
  organizer: string;
}

/** 50 % attendee copies of one-off meetings, 30 % organizer copies, 20 % attendee copies of weekly series. */
export function seedMeeting(index: number): SeedMeeting {
  const slot = index % 10;
  const kind: SeedKind = slot < 5 ? 'attendee' : slot < 8 ? 'organizer' : 'series';
  const associate = index % ASSOCIATES;
  const organizer = kind === 'organizer' ? associateAddress(associate) : `org${index % 37}@partner.example`;
  return { index, kind, uid: `seed-${index}`, associate, organizer };
}

/** The REQUEST that made the stored copy (its organizer's client sent it; SEQUENCE 0). */
export function seedRequest(m: SeedMeeting): eventsV1.InviteParsed {
  const owner = associateAddress(m.associate);
  const attendees = m.kind === 'organizer' ? GUESTS : [owner, 'colleague@partner.example', 'other@partner.example'];
  const start = m.kind === 'series' ? SERIES_START + (m.index % 5) * 24 * HOUR : ONE_OFF_START + (m.index % 500) * HOUR;
  return invite(`seed-mail-${m.index}`, 'REQUEST', m.uid, [owner], m.organizer, {
    sequence: 0, dtstamp: new Date(SEEDED_AT), start: new Date(start), end: new Date(start + HOUR),
    summary: `Meeting ${m.index}`, location: 'Room 4', organizer: { address: m.organizer, name: '' },
    attendees: attendees.map((address) => ({ address, partstat: 'NEEDS-ACTION' })),
    rrule: m.kind === 'series' ? [`FREQ=WEEKLY;COUNT=${SERIES_WEEKS}`] : [],
  });
}

export type MessageKind = 'request-update' | 'reply' | 'new-request' | 'cancel-instance';

export interface BenchMessage {
  kind: MessageKind;
  mailId: string;
  uid: string;
  bytes: Uint8Array;
}

/**
 * The inbound mix, message `g` of the run (g grows over the whole run, so SEQUENCE and DTSTAMP
 * keep growing and a later message is a newer version): 40 % REQUEST updates of attendee copies
 * (new time, SEQUENCE up), 30 % REPLYs on organizer copies, 20 % new REQUESTs (a new UID),
 * 10 % CANCELs of one instance of a series. Targets walk the pools in order, so within one
 * phase a copy is hit again only once the pool is exhausted.
 */
export function mixMessage(run: string, g: number, meetings: number): BenchMessage {
  const slot = g % 10;
  const kind: MessageKind = slot < 4 ? 'request-update' : slot < 7 ? 'reply' : slot < 9 ? 'new-request' : 'cancel-instance';
  const mailId = `${run}-${g}`;
  const dtstamp = new Date(SEEDED_AT + (g + 1) * 1000);
  if (kind === 'new-request') {
    const k = g % ASSOCIATES;
    const uid = `${run}-new-${g}`;
    const start = ONE_OFF_START + (g % 700) * HOUR;
    return message(kind, invite(mailId, 'REQUEST', uid, [associateAddress(k)], 'newcomer@partner.example', {
      sequence: 0, dtstamp, start: new Date(start), end: new Date(start + HOUR), summary: `New ${g}`,
      organizer: { address: 'newcomer@partner.example', name: '' },
      attendees: [{ address: associateAddress(k), partstat: 'NEEDS-ACTION' }, { address: 'colleague@partner.example', partstat: 'NEEDS-ACTION' }],
    }));
  }
  const target = seedMeeting(pick(kind, Math.floor(g / 10) * (kind === 'request-update' ? 4 : kind === 'reply' ? 3 : 1) + slotOffset(slot), meetings));
  const request = seedRequest(target);
  const owner = associateAddress(target.associate);
  const master = request.events[0]!;
  if (kind === 'reply') {
    const guest = GUESTS[g % GUESTS.length]!;
    return message(kind, invite(mailId, 'REPLY', target.uid, [owner], guest, {
      sequence: 0, dtstamp, organizer: master.organizer, attendees: [{ address: guest, partstat: PARTSTATS[g % PARTSTATS.length]! }],
    }));
  }
  if (kind === 'cancel-instance') {
    const week = 1 + (Math.floor(g / 10) % (SERIES_WEEKS - 1));
    const rid = new Date(master.start!.getTime() + week * WEEK).toISOString();
    return message(kind, invite(mailId, 'CANCEL', target.uid, [owner], target.organizer, {
      recurrenceId: rid, sequence: 0, dtstamp, status: 'CANCELLED', organizer: master.organizer, attendees: master.attendees,
    }));
  }
  const moved = master.start!.getTime() + HOUR;
  return message(kind, invite(mailId, 'REQUEST', target.uid, [owner], target.organizer, {
    ...master, sequence: g + 1, dtstamp, start: new Date(moved), end: new Date(moved + HOUR), summary: `${master.summary} (moved)`,
  }));
}

/** The n-th seeded meeting of the kind a message needs (pool walked in order, wrapping). */
function pick(kind: MessageKind, n: number, meetings: number): number {
  const pool: SeedKind = kind === 'reply' ? 'organizer' : kind === 'cancel-instance' ? 'series' : 'attendee';
  const slots = pool === 'attendee' ? [0, 1, 2, 3, 4] : pool === 'organizer' ? [5, 6, 7] : [8, 9];
  const rounds = Math.floor(meetings / 10);
  const i = n % (rounds * slots.length);
  return Math.floor(i / slots.length) * 10 + slots[i % slots.length]!;
}

/** Position of a slot within its kind (slots 0-3 update, 4-6 reply, 9 cancel). */
function slotOffset(slot: number): number {
  return slot < 4 ? slot : slot < 7 ? slot - 4 : 0;
}

/** What eventsV1.CalendarEvent.fromPartial takes: any subset, nested parties included. */
type EventInput = NonNullable<Parameters<typeof eventsV1.CalendarEvent.fromPartial>[0]>;

function invite(mailId: string, method: string, uid: string, to: string[], from: string, event: EventInput): eventsV1.InviteParsed {
  return eventsV1.InviteParsed.fromPartial({
    mailId, method, uid, mail: { envelopeTo: to, from, to },
    events: [{ timeZone: 'UTC', timeZoneSource: 'utc', ...event }],
  });
}

function message(kind: MessageKind, parsed: eventsV1.InviteParsed): BenchMessage {
  return { kind, mailId: parsed.mailId, uid: parsed.uid, bytes: eventsV1.InviteParsed.encode(parsed).finish() };
}
