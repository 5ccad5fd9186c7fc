// The iTIP method of one iCalendar object (RFC 5546 §1.4, §3.2) and what it requires.
import { WARNING, warning } from './warnings';

export const ITIP_METHODS = ['PUBLISH', 'REQUEST', 'REPLY', 'ADD', 'CANCEL', 'REFRESH', 'COUNTER', 'DECLINECOUNTER'] as const;
export type ItipMethod = (typeof ITIP_METHODS)[number];

function isItipMethod(value: string): value is ItipMethod {
  return (ITIP_METHODS as readonly string[]).includes(value);
}

// RFC 5546 §3.2: the VEVENT tables list DTSTART as "1" (required) for PUBLISH (§3.2.1), REQUEST
// (§3.2.2), ADD (§3.2.4) and COUNTER (§3.2.7); REPLY, CANCEL, REFRESH and DECLINECOUNTER may omit
// it, since they refer to an event the receiver already has.
const DTSTART_REQUIRED: ReadonlySet<ItipMethod> = new Set<ItipMethod>(['PUBLISH', 'REQUEST', 'ADD', 'COUNTER']);

export function requiresDtstart(method: ItipMethod): boolean {
  return DTSTART_REQUIRED.has(method);
}

/** Where the method came from: only a METHOD in the body is the sender's explicit statement. */
export type MethodSource = 'body' | 'mime' | 'default';

export type MethodResolution =
  | { ok: true; method: ItipMethod; source: MethodSource; warnings: string[] }
  | { ok: false; detail: string };

/**
 * RFC 6047 §2.4 says the MIME `method` parameter MUST be present and MUST equal the object's
 * METHOD. Senders break both halves. Our rule:
 *  - METHOD in the body wins whenever present: it was written by the calendar software that
 *    produced the object (and whose other properties follow that method), while the MIME header
 *    is added by the mail composer, sometimes from a template. A disagreement is recorded.
 *  - No METHOD in the body: the MIME parameter is used (Lotus Notes sends invites this way).
 *  - Neither: RFC 5545 §3.7.2 says the object then carries no scheduling intent, which is what
 *    PUBLISH means, so it is read as PUBLISH, with a warning.
 */
export function resolveMethod(bodyMethod: string, mimeMethod: string): MethodResolution {
  const body = bodyMethod.trim().toUpperCase();
  const mime = mimeMethod.trim().toUpperCase();
  const chosen = body || mime;
  if (!chosen) {
    return { ok: true, method: 'PUBLISH', source: 'default', warnings: [warning(WARNING.methodMissing, 'no METHOD; read as PUBLISH (RFC 5545 §3.7.2)')] };
  }
  if (!isItipMethod(chosen)) return { ok: false, detail: `METHOD "${chosen}" is not an iTIP method (RFC 5546 §1.4)` };
  const warnings: string[] = [];
  if (!body) warnings.push(warning(WARNING.methodFromMime, `no METHOD in the object; MIME method=${mime} used`));
  else if (mime && mime !== body) warnings.push(warning(WARNING.methodMismatch, `MIME method=${mime}, METHOD:${body}; METHOD used (RFC 6047 §2.4)`));
  return { ok: true, method: chosen, source: body ? 'body' : 'mime', warnings };
}
