import { appointmentV1 } from '@inviteflow/proto-gen';
import { cliError, table } from '../cli-output';

/** The status column: invited, tentative, accepted, declined, moved, cancelled (domain.md §2). */
export function diaryStatusName(s: appointmentV1.DiaryStatus): string {
  return (appointmentV1.DiaryStatus[s] ?? 'DIARY_STATUS_UNSPECIFIED').replace('DIARY_STATUS_', '').toLowerCase();
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A `--from` / `--to` value: a date (YYYY-MM-DD, UTC) or an ISO 8601 instant. A date as `--to`
 * means the end of that day, so `--from 2026-03-01 --to 2026-03-31` covers all of March.
 */
export function parseDiaryBound(value: string, option: '--from' | '--to'): Date {
  const dateOnly = DATE_ONLY.test(value);
  const ms = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms) || (!dateOnly && !/T\d{2}:\d{2}/.test(value))) {
    throw cliError('CLI_USAGE', `${option} ${value}: expected a date (2026-03-01) or an ISO 8601 instant (2026-03-01T09:00:00Z)`);
  }
  return new Date(dateOnly && option === '--to' ? ms + 86_400_000 : ms);
}

const short = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 3)}...` : s);

function when(e: appointmentV1.DiaryEntry): [string, string] {
  if (e.allDay) return [e.start?.toISOString().slice(0, 10) ?? '', e.end?.toISOString().slice(0, 10) ?? ''];
  return [e.start?.toISOString() ?? '', e.end?.toISOString() ?? ''];
}

/** The diary as a table for people, one row per instance, by start. */
export function diaryText(associate: string, res: appointmentV1.ListDiaryResponse): string {
  const window = `${res.from?.toISOString() ?? '?'} – ${res.to?.toISOString() ?? '?'}`;
  const notes = [
    ...(res.truncated ? ['note: a series has more instances in this window than are listed (narrow --from/--to)'] : []),
    ...res.unsupportedRules.map((r) => `note: recurrence rule not expanded (only its first instance is listed): ${r}`),
  ];
  if (res.entries.length === 0) return [`no meetings in the diary of ${associate} (series expanded ${window})`, ...notes].join('\n');
  const rows = res.entries.map((e) => [
    ...when(e), e.timeZone, diaryStatusName(e.status), String(e.sequence), short(e.summary, 40), e.organizer?.address ?? '',
    e.recurrenceId ? 'yes' : '', e.cautions.map((c) => c.code).join(',') || '', short(e.uid, 40),
  ]);
  const head = ['start (UTC)', 'end (UTC)', 'time zone', 'status', 'seq', 'summary', 'organizer', 'recurs', 'cautions', 'uid'];
  return [table(head, rows), `series expanded ${window}`, ...notes].join('\n');
}

/** The --json shape: the response as the API gives it (proto JSON names, enums by name). */
export function diaryJson(res: appointmentV1.ListDiaryResponse): unknown {
  return appointmentV1.ListDiaryResponse.toJSON(res);
}
