import { expandInstances, type DiaryInstance, type DiaryStatus, type Meeting } from '@inviteflow/itip';
import { appointmentV1 } from '@inviteflow/proto-gen';
import { AppError } from '@inviteflow/runtime';
import type { MeetingRepository } from '../data/meeting.repository';
import type { IdentityLookup } from '../domain/identity.port';
import { meetingSequence, timestampOf } from './meeting.mapper';
import { associateIdOf } from './owner.resolve';

const DAY_MS = 86_400_000;
/** The default window for series: what a CRM diary opens on — the last month and the year ahead. */
export const DEFAULT_DIARY_PAST_DAYS = 30;
export const DEFAULT_DIARY_AHEAD_DAYS = 365;
/** "Whatever the date", for meetings that do not recur when no window is asked for. */
const ALL_TIME = { from: '1000-01-01T00:00:00.000Z', to: '9999-12-31T00:00:00.000Z' };

export interface DiaryWindowChoice {
  from: Date;
  to: Date;
  /** false: no window was asked for; meetings that do not recur are listed whatever their date. */
  explicit: boolean;
}

/**
 * The window of a ListDiary request. Without one, series are expanded from 30 days ago to a year
 * ahead, and a meeting that does not recur (one instance, or a few overrides) is listed whatever
 * its date: an associate's one-off meetings are few, and a diary that silently hides last
 * quarter's meeting is worse than a long list. A series' instances are not few, hence its window.
 */
export function diaryWindow(req: Pick<appointmentV1.ListDiaryRequest, 'from' | 'to'>, now: Date): DiaryWindowChoice {
  const from = req.from ?? new Date(now.getTime() - DEFAULT_DIARY_PAST_DAYS * DAY_MS);
  const to = req.to ?? new Date(now.getTime() + DEFAULT_DIARY_AHEAD_DAYS * DAY_MS);
  if (from.getTime() >= to.getTime()) {
    throw new AppError({ code: 'INVALID_ARGUMENT', message: `from (${from.toISOString()}) must be before to (${to.toISOString()})`, retryable: false });
  }
  return { from, to, explicit: req.from !== undefined || req.to !== undefined };
}

const STATUS: Readonly<Record<DiaryStatus, appointmentV1.DiaryStatus>> = {
  invited: appointmentV1.DiaryStatus.DIARY_STATUS_INVITED,
  tentative: appointmentV1.DiaryStatus.DIARY_STATUS_TENTATIVE,
  accepted: appointmentV1.DiaryStatus.DIARY_STATUS_ACCEPTED,
  declined: appointmentV1.DiaryStatus.DIARY_STATUS_DECLINED,
  moved: appointmentV1.DiaryStatus.DIARY_STATUS_MOVED,
  cancelled: appointmentV1.DiaryStatus.DIARY_STATUS_CANCELLED,
};

function recurs(m: Meeting): boolean {
  return !!m.master && (m.master.rrule.length > 0 || m.master.rdate.length > 0);
}

export function toDiaryEntry(m: Meeting, i: DiaryInstance): appointmentV1.DiaryEntry {
  const component = (i.recurrenceId && m.overrides[i.recurrenceId]) || m.master;
  return {
    meetingId: m.id, uid: m.uid, recurrenceId: i.recurrenceId, start: timestampOf(i.start), end: timestampOf(i.end), allDay: i.allDay,
    timeZone: component?.timeZone ?? '', status: STATUS[i.status], summary: i.summary, location: i.location, conferenceUrl: i.conferenceUrl,
    organizer: { ...m.organizer }, sequence: meetingSequence(m), role: m.role, cautions: m.cautions.map((c) => ({ code: c.code, detail: c.detail })),
    overridden: i.overridden, copyVersion: m.version, createdAt: timestampOf(m.createdAt),
  };
}

/**
 * Pure: the diary entries of the copies an associate holds, every instance in the window with
 * its status; cancelled meetings and instances stay listed as cancelled (the CRM keeps them).
 */
export function diaryOf(copies: Meeting[], w: DiaryWindowChoice): { entries: appointmentV1.DiaryEntry[]; truncated: boolean; unsupported: string[] } {
  const series = { from: w.from.toISOString(), to: w.to.toISOString() };
  let truncated = false;
  const unsupported = new Set<string>();
  const entries = copies.flatMap((m) => {
    const found = expandInstances(m, w.explicit || recurs(m) ? series : ALL_TIME, { includeCancelled: true });
    truncated ||= found.truncated;
    found.unsupported.forEach((r) => unsupported.add(r));
    return found.instances.map((i) => toDiaryEntry(m, i));
  });
  const key = (e: appointmentV1.DiaryEntry): string => `${e.start?.toISOString() ?? ''}|${e.uid}|${e.recurrenceId}`;
  entries.sort((a, b) => key(a).localeCompare(key(b)));
  return { entries, truncated, unsupported: [...unsupported] };
}

/** ListDiary. Round trips: 1 (every copy the associate holds), + identity when asked by address. */
export async function listDiary(
  deps: { meetings: MeetingRepository; identity: IdentityLookup; now: () => Date }, req: appointmentV1.ListDiaryRequest,
): Promise<appointmentV1.ListDiaryResponse> {
  const w = diaryWindow(req, deps.now());
  const associateId = await associateIdOf(deps.identity, req.associate);
  const { entries, truncated, unsupported } = diaryOf(await deps.meetings.listByOwner(associateId), w);
  return { associateId, entries, from: w.from, to: w.to, truncated, unsupportedRules: unsupported };
}
