import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir } from './corpus.location';

/** One corpus file's bytes (the location: corpus.location.ts). */
export function readCorpus(file: string): Buffer {
  return readFileSync(join(corpusDir(), file));
}

export interface InviteFixture {
  uid: string;
  organizer: string;
  attendees: string[];
  start: Date;
  durationMinutes: number;
  sequence?: number;
  summary?: string;
  method?: 'REQUEST' | 'CANCEL';
  /** A file sent with the invitation (an agenda, slides): the mail becomes multipart/mixed around it. */
  attachment?: { filename: string; bytes: number };
}

const stamp = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/**
 * A minimal, well-formed iMIP message (RFC 6047 §2.4: text/calendar with a method parameter
 * matching METHOD, inside multipart/alternative next to a text part), for tests that need
 * many distinct invitations. Real-client quirks are covered by the corpus, not by this.
 */
export function buildImipMessage(f: InviteFixture): Buffer {
  const method = f.method ?? 'REQUEST';
  const end = new Date(f.start.getTime() + f.durationMinutes * 60_000);
  const ics = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//inviteflow//tests//EN', `METHOD:${method}`,
    'BEGIN:VEVENT', `UID:${f.uid}`, `SEQUENCE:${f.sequence ?? 0}`, `DTSTAMP:${stamp(new Date('2026-01-01T00:00:00Z'))}`,
    `DTSTART:${stamp(f.start)}`, `DTEND:${stamp(end)}`, `SUMMARY:${f.summary ?? 'Test meeting'}`,
    `ORGANIZER;CN=Organizer:mailto:${f.organizer}`,
    ...f.attendees.map((a) => `ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;ROLE=REQ-PARTICIPANT:mailto:${a}`),
    method === 'CANCEL' ? 'STATUS:CANCELLED' : 'STATUS:CONFIRMED',
    'END:VEVENT', 'END:VCALENDAR', '',
  ].join('\r\n');
  const boundary = `b-${f.uid.replace(/[^A-Za-z0-9]/g, '')}`;
  const alternative = [
    `Content-Type: multipart/alternative; boundary="${boundary}"`, '',
    `--${boundary}`, 'Content-Type: text/plain; charset=utf-8', '', 'You are invited.', '',
    `--${boundary}`, `Content-Type: text/calendar; charset=utf-8; method=${method}`, 'Content-Transfer-Encoding: 8bit', '',
    ics, `--${boundary}--`, '',
  ];
  // With a file, as Outlook and Gmail send one: multipart/mixed holding the alternative first.
  const body = f.attachment ? [
    `Content-Type: multipart/mixed; boundary="m${boundary}"`, '',
    `--m${boundary}`, ...alternative,
    `--m${boundary}`, `Content-Type: application/pdf; name="${f.attachment.filename}"`,
    `Content-Disposition: attachment; filename="${f.attachment.filename}"`, 'Content-Transfer-Encoding: base64', '',
    // Base64 in lines of 76 characters (RFC 2045 §6.8).
    randomBytes(f.attachment.bytes).toString('base64').replace(/.{76}/g, '$&\r\n'), `--m${boundary}--`, '',
  ] : alternative;
  return Buffer.from([
    `From: Organizer <${f.organizer}>`, `To: ${f.attendees.join(', ')}`, `Subject: ${f.summary ?? 'Test meeting'}`,
    `Message-ID: <${f.uid}@tests.inviteflow>`, 'Date: Thu, 01 Jan 2026 00:00:00 +0000', 'MIME-Version: 1.0',
    ...body,
  ].join('\r\n'));
}
