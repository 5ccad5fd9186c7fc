import { isKnownZone, rruleProblem, wallToUtcMs } from '@inviteflow/itip';
import { crmError } from './crm.errors';

/** A MeetingTime as the model keeps it: instants (ISO 8601 UTC), the zone, whether it is all-day. */
export interface Slot {
  start: string;
  end: string;
  timeZone: string;
  allDay: boolean;
}

export interface TimeInput {
  start: string;
  end: string;
  timeZone: string;
  allDay: boolean;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * One value of a MeetingTime: a date (all-day, as 00:00 UTC like the parser reads DATE values), a
 * local date-time read on the wall clock of `zone` (RFC 5545 §3.3.5 form #3), or an instant.
 */
function instant(field: string, value: string, zone: string, allDay: boolean): string {
  const v = value.trim();
  if (allDay) {
    const d = DATE.exec(v);
    if (!d) throw crmError('INVALID_TIME', field, `"${value}" is not a date (YYYY-MM-DD) for an all-day meeting`);
    return checked(field, value, Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3])));
  }
  const l = LOCAL.exec(v);
  if (l) return checked(field, value, wallToUtcMs(zone, Date.UTC(Number(l[1]), Number(l[2]) - 1, Number(l[3]), Number(l[4]), Number(l[5]), Number(l[6] ?? 0))));
  if (INSTANT.test(v)) return checked(field, value, Date.parse(v));
  throw crmError('INVALID_TIME', field, `"${value}" is not an ISO 8601 date-time (2026-03-10T09:00 in the meeting's zone, or with Z or an offset)`);
}

function checked(field: string, value: string, ms: number): string {
  if (Number.isNaN(ms)) throw crmError('INVALID_TIME', field, `"${value}" is not a real date`);
  return new Date(ms).toISOString();
}

/** Pure: a MeetingTime checked field by field → the slot, or a refusal naming the field. */
export function slotOf(field: string, t: TimeInput | undefined, defaultZone: string): Slot {
  if (!t || !t.start) throw crmError('INVALID_ARGUMENT', `${field}.start`, 'is required');
  if (!t.end) throw crmError('INVALID_ARGUMENT', `${field}.end`, 'is required');
  const zone = t.timeZone.trim() || defaultZone;
  if (!t.allDay && zone && zone !== 'UTC' && !isKnownZone(zone)) throw crmError('INVALID_TIME_ZONE', `${field}.time_zone`, `"${zone}" is not an IANA time zone`);
  const start = instant(`${field}.start`, t.start, zone, t.allDay);
  let end = instant(`${field}.end`, t.end, zone, t.allDay);
  // An all-day end on the start day means one day (DTEND is exclusive, RFC 5545 §3.6.1).
  if (t.allDay && end === start) end = new Date(Date.parse(start) + 86_400_000).toISOString();
  if (Date.parse(end) <= Date.parse(start)) throw crmError('INVALID_TIME_RANGE', `${field}.end`, `${t.end} is not after the start ${t.start}`);
  return { start, end, timeZone: t.allDay ? '' : zone === 'UTC' ? '' : zone, allDay: t.allDay };
}

/** Pure: an RRULE value checked (libs/itip rruleProblem) → [] or [rule]. */
export function rruleOf(field: string, rule: string): string[] {
  const r = rule.trim().replace(/^RRULE:/i, '');
  if (!r) return [];
  const problem = rruleProblem(r);
  if (problem) throw crmError('INVALID_RRULE', field, `"${rule}" is not a usable RRULE (RFC 5545 §3.3.10): ${problem}`);
  return [r.toUpperCase()];
}
