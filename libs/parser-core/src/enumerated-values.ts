// Properties and parameters whose values RFC 5545 enumerates (§3.2 parameters, §3.8 properties),
// with the values registered since (RFC 6638 §7.1 SCHEDULE-AGENT). A value outside the list never
// reaches the scheduling agent: it is replaced, with a warning naming what was written, by what
// the RFC tells a receiver to use instead. The rule, one for all of them:
//   - absent (or empty)   → the section's default;
//   - a registered value  → kept, upper-cased (values are case-insensitive, RFC 5545 §2);
//   - anything else       → what the section says to treat an unrecognised x-name or iana-token
//     as (PARTSTAT NEEDS-ACTION §3.2.12, ROLE REQ-PARTICIPANT §3.2.16, CUTYPE UNKNOWN §3.2.3,
//     CLASS PRIVATE §3.8.1.3), or the default where the grammar admits no extension (STATUS
//     §3.8.1.11, TRANSP §3.8.2.7). X- values are treated like any unknown value: no client we
//     know of writes one that a scheduling agent could act on, and keeping them would make every
//     consumer handle an open set. A malformed value is read the same way as an unknown token;
//     for CLASS that means PRIVATE, since reading a garbled classification as PUBLIC is the one
//     choice that can harm (a private meeting shown to colleagues).
import type { IcalComponent, IcalProperty } from './ical';
import { paramText, textValue } from './ical';
import { WARNING, warning, type WarningCode } from './warnings';

export interface EnumSpec {
  /** The property or parameter name, lowercase. */
  name: string;
  known: ReadonlySet<string>;
  absent: string;
  unrecognised: string;
}

/** RFC 5545 §3.8.1.11 statvalue-event: only these three are VEVENT statuses. */
export const STATUS: EnumSpec = { name: 'status', known: new Set(['TENTATIVE', 'CONFIRMED', 'CANCELLED']), absent: '', unrecognised: '' };
export const TRANSP: EnumSpec = { name: 'transp', known: new Set(['OPAQUE', 'TRANSPARENT']), absent: 'OPAQUE', unrecognised: 'OPAQUE' };
export const CLASS: EnumSpec = { name: 'class', known: new Set(['PUBLIC', 'PRIVATE', 'CONFIDENTIAL']), absent: 'PUBLIC', unrecognised: 'PRIVATE' };

/** §3.2.12 partstat-event: COMPLETED and IN-PROCESS are VTODO values, unknown in a VEVENT. */
export const PARTSTAT: EnumSpec = {
  name: 'partstat',
  known: new Set(['NEEDS-ACTION', 'ACCEPTED', 'DECLINED', 'TENTATIVE', 'DELEGATED']),
  absent: 'NEEDS-ACTION',
  unrecognised: 'NEEDS-ACTION',
};
export const ROLE: EnumSpec = {
  name: 'role',
  known: new Set(['CHAIR', 'REQ-PARTICIPANT', 'OPT-PARTICIPANT', 'NON-PARTICIPANT']),
  absent: 'REQ-PARTICIPANT',
  unrecognised: 'REQ-PARTICIPANT',
};
export const CUTYPE: EnumSpec = {
  name: 'cutype',
  known: new Set(['INDIVIDUAL', 'GROUP', 'RESOURCE', 'ROOM', 'UNKNOWN']),
  absent: 'INDIVIDUAL',
  unrecognised: 'UNKNOWN',
};
/** RFC 6638 §7.1; SERVER is the default, written '' (absent) as before. */
export const SCHEDULE_AGENT: EnumSpec = { name: 'schedule-agent', known: new Set(['SERVER', 'CLIENT', 'NONE']), absent: '', unrecognised: '' };

/** Longer values are clipped in the warning: it names the value, it need not carry 4 MB of it. */
const MAX_SHOWN = 60;

/** The value to pass on for `written` (as the sender wrote it), warning when it was replaced. */
export function enumValue(spec: EnumSpec, written: string, code: WarningCode, warnings: string[]): string {
  const value = written.trim().replace(/^"(.*)"$/, '$1').trim().toUpperCase();
  if (!value) return spec.absent;
  if (spec.known.has(value)) return value;
  const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
  const replacement = spec.unrecognised || '(absent)';
  warnings.push(warning(code, `${spec.name.toUpperCase()}=${shown} read as ${replacement}`));
  return spec.unrecognised;
}

export function enumParam(prop: IcalProperty, spec: EnumSpec, warnings: string[]): string {
  return enumValue(spec, paramText(prop, spec.name), WARNING.partyParamUnknown, warnings);
}

/** STATUS, TRANSP and CLASS of one VEVENT, as CalendarEvent carries them. */
export function readEventEnums(vevent: IcalComponent, warnings: string[]): { status: string; transparency: string; classification: string } {
  const read = (spec: EnumSpec): string => enumValue(spec, textValue(vevent, spec.name), WARNING.enumValueInvalid, warnings);
  return { status: read(STATUS), transparency: read(TRANSP), classification: read(CLASS) };
}
