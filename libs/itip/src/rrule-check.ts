// Is an RRULE value one we can book? (RFC 5545 §3.3.10.) ical.js is lenient — it reads "BOGUS" as
// a rule without FREQ and skips unknown parts — so the grammar's outline is checked first, then
// ical.js reads the values, then the patterns it would spin on are refused (recurrence.ts).
import ICAL from 'ical.js';
import { unsafePattern } from './recurrence';

const PARTS = new Set(['FREQ', 'UNTIL', 'COUNT', 'INTERVAL', 'BYSECOND', 'BYMINUTE', 'BYHOUR', 'BYDAY', 'BYMONTHDAY', 'BYYEARDAY', 'BYWEEKNO', 'BYMONTH', 'BYSETPOS', 'WKST']);

/** Why `rule` cannot be used, or undefined when it can. */
export function rruleProblem(rule: string): string | undefined {
  const parts = rule.replace(/^RRULE:/i, '').split(';');
  const names = parts.map((p) => p.split('=')[0]!.toUpperCase());
  const malformed = parts.find((p) => !/^[A-Za-z]+=[^=]+$/.test(p));
  if (malformed !== undefined) return `"${malformed}" is not NAME=VALUE`;
  const unknown = names.find((n) => !PARTS.has(n));
  if (unknown) return `${unknown} is not an RRULE part (RFC 5545 §3.3.10)`;
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated) return `${repeated} is given twice`;
  if (!names.includes('FREQ')) return 'FREQ is required';
  if (names.includes('COUNT') && names.includes('UNTIL')) return 'COUNT and UNTIL must not both be given';
  try {
    const recur = ICAL.Recur.fromString(rule.replace(/^RRULE:/i, ''));
    return unsafePattern(recur) || undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
