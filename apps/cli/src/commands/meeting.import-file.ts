import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { DEFAULT_PARSE_LIMITS, describeOutcome, parseCalendarText } from '@inviteflow/parser-core';
import type { eventsV1 } from '@inviteflow/proto-gen';
import { cliError } from '../cli-output';

/** One meeting read from an iCalendar file, as ImportMeeting takes it. */
export interface ImportFile {
  uid: string;
  events: eventsV1.CalendarEvent[];
  /** Hex sha256 of the file's bytes: the import's identity (re-importing it is a DUPLICATE). */
  sha256: string;
  source: string;
  warnings: string[];
}

/**
 * Pure: the file's VEVENTs through the parser's own core (the same normalisation mail gets:
 * zones, join links, RECURRENCE-IDs as instants). Refused, as a usage error naming why, when it
 * holds no usable VEVENT or more than one meeting (several UIDs): `meeting import` seeds one copy.
 */
export function readImportFile(file: string, bytes: Buffer): ImportFile {
  const outcome = parseCalendarText(bytes.toString('utf8'), { mailId: `import:${basename(file)}`, envelopeFrom: '', envelopeTo: [] }, DEFAULT_PARSE_LIMITS);
  if (outcome.kind !== 'parsed') {
    throw cliError('CLI_USAGE', `${file}: no meeting to import: ${outcome.reasonCode}: ${describeOutcome(outcome)}`, { reasonCode: outcome.reasonCode });
  }
  const withEvents = outcome.invites.filter((i) => i.events.length > 0);
  if (withEvents.length === 0) throw cliError('CLI_USAGE', `${file}: no VEVENT to import`);
  if (withEvents.length > 1) {
    throw cliError('CLI_USAGE', `${file}: holds ${withEvents.length} meetings (UIDs ${withEvents.map((i) => i.uid).join(', ')}); import one meeting per file`);
  }
  const invite = withEvents[0]!;
  return {
    uid: invite.uid, events: invite.events, sha256: createHash('sha256').update(bytes).digest('hex'), source: basename(file), warnings: invite.warnings,
  };
}
