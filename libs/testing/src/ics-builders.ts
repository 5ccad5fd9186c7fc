import { eventsV1 } from '@inviteflow/proto-gen';
// Inline iCalendar and MIME builders for table-driven tests (sabre BrokerTester style): the test
// shows the input it is about, and nothing else.

/** Lines joined with CRLF, the way RFC 5545 §3.1 wants them. */
export function ics(...lines: string[]): string {
  return `${lines.join('\r\n')}\r\n`;
}

/** A VCALENDAR around the given lines, with METHOD when one is given. */
export function vcalendar(method: string | undefined, ...lines: string[]): string {
  return ics('BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//inviteflow//test//EN', ...(method ? [`METHOD:${method}`] : []), ...lines, 'END:VCALENDAR');
}

/** A VEVENT with the given properties; UID/DTSTAMP are not added, so tests can omit them. */
export function vevent(...lines: string[]): string[] {
  return ['BEGIN:VEVENT', ...lines, 'END:VEVENT'];
}

export interface MimePart {
  headers: Record<string, string>;
  body: string;
}

/** A multipart/mixed (or other multipart) message from parts, as raw bytes. */
export function multipartMail(
  parts: MimePart[],
  options: { subtype?: string; headers?: Record<string, string>; boundary?: string } = {},
): Buffer {
  const boundary = options.boundary ?? 'inviteflow-test-boundary';
  const head = headerLines({
    From: 'Organizer <organizer@example.net>',
    To: 'homer@example.org',
    Subject: 'Invitation',
    'Message-ID': '<test-1@example.net>',
    'MIME-Version': '1.0',
    'Content-Type': `multipart/${options.subtype ?? 'mixed'}; boundary="${boundary}"`,
    ...options.headers,
  });
  const body = parts.map((part) => `--${boundary}\r\n${headerLines(part.headers)}\r\n${part.body}\r\n`).join('');
  return Buffer.from(`${head}\r\n${body}--${boundary}--\r\n`, 'utf8');
}

/** A single-part message. */
export function singlePartMail(headers: Record<string, string>, body: string): Buffer {
  const head = headerLines({ From: 'organizer@example.net', To: 'homer@example.org', 'MIME-Version': '1.0', ...headers });
  return Buffer.from(`${head}\r\n${body}`, 'utf8');
}

function headerLines(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
}

export const TEXT_PART: MimePart = { headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'You are invited.' };

export function calendarPart(calendar: string, contentType = 'text/calendar; charset=utf-8; method=REQUEST'): MimePart {
  return { headers: { 'Content-Type': contentType }, body: calendar };
}

/** A CalendarParty with every field the test does not name at its default ('' / false / []). */
export function party(fields: Partial<eventsV1.CalendarParty>): eventsV1.CalendarParty {
  return eventsV1.CalendarParty.fromPartial(fields);
}
