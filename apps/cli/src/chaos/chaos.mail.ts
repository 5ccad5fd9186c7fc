// The mail `./dev chaos` sends: distinct invitations (one UID each, one associate invited, so
// each is applied as exactly one appointment.scheduled.v1), and a poison message the parser
// cannot read. Built here rather than from libs/testing: the CLI bundle ships no test code.

import { randomBytes } from 'node:crypto';

const stamp = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

export interface ChaosInvitation {
  readonly uid: string;
  readonly raw: Buffer;
  readonly from: string;
  readonly to: string;
}

/**
 * A minimal iMIP REQUEST (RFC 6047 §2.4: text/calendar with `method` matching METHOD). With
 * `fileBytes`, it also carries a file that size (multipart/mixed, as an agenda comes): past
 * RAW_INLINE_MAX_BYTES its bytes go through the raw-mail object store, not the event.
 */
export function chaosInvitation(run: string, index: number, organizer: string, attendee: string, fileBytes = 0): ChaosInvitation {
  const uid = `chaos-${run}-${index}`;
  const start = new Date(Date.UTC(2027, 0, 4, 8) + index * 30 * 60_000);
  const end = new Date(start.getTime() + 30 * 60_000);
  const ics = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//inviteflow//chaos//EN', 'METHOD:REQUEST',
    'BEGIN:VEVENT', `UID:${uid}`, 'SEQUENCE:0', `DTSTAMP:${stamp(start)}`, `DTSTART:${stamp(start)}`, `DTEND:${stamp(end)}`,
    `SUMMARY:Chaos ${index}`, `ORGANIZER:mailto:${organizer}`,
    `ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:${attendee}`, 'END:VEVENT', 'END:VCALENDAR', '',
  ].join('\r\n');
  const calendar = 'text/calendar; charset=utf-8; method=REQUEST';
  if (fileBytes <= 0) return { uid, from: organizer, to: attendee, raw: mail(uid, organizer, attendee, calendar, ics) };
  const boundary = `chaos-${run}-${index}-mixed`;
  const body = [
    `--${boundary}`, `Content-Type: ${calendar}`, 'Content-Transfer-Encoding: 8bit', '', ics,
    `--${boundary}`, `Content-Type: application/pdf; name="agenda-${index}.pdf"`, `Content-Disposition: attachment; filename="agenda-${index}.pdf"`,
    // Base64 in lines of 76 characters (RFC 2045 §6.8).
    'Content-Transfer-Encoding: base64', '', randomBytes(fileBytes).toString('base64').replace(/.{76}/g, '$&\r\n'),
    `--${boundary}--`, '',
  ].join('\r\n');
  return { uid, from: organizer, to: attendee, raw: mail(uid, organizer, attendee, `multipart/mixed; boundary="${boundary}"`, body) };
}

/**
 * Poison: announces a calendar (method=REQUEST) whose body is no iCalendar at all (RFC 5545
 * §3.4 requires BEGIN:VCALENDAR), so the parser must record an outcome for it, not stall.
 */
export function poisonMail(run: string, organizer: string, attendee: string): ChaosInvitation {
  const uid = `chaos-${run}-poison`;
  const body = 'BEGIN:VCALENDAR\r\nthis is not iCalendar\r\n\u0000\u0001 END:NOTHING\r\n';
  return { uid, from: organizer, to: attendee, raw: mail(uid, organizer, attendee, 'text/calendar; charset=utf-8; method=REQUEST', body) };
}

function mail(uid: string, from: string, to: string, contentType: string, body: string): Buffer {
  return Buffer.from([
    `From: <${from}>`, `To: <${to}>`, `Subject: ${uid}`, `Message-ID: <${uid}@chaos.inviteflow>`,
    `Date: ${new Date().toUTCString()}`, 'MIME-Version: 1.0', `Content-Type: ${contentType}`, 'Content-Transfer-Encoding: 8bit', '',
    body,
  ].join('\r\n'));
}
