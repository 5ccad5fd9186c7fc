import { instanceTombstone, toICalendar, type Attendee, type Component, type Decision, type Meeting, type Version } from '@inviteflow/itip';
import { appointmentV1 } from '@inviteflow/proto-gen';

// libs/itip's model as the gRPC API shows it. Pure. The model keeps instants as ISO strings
// ('' when absent); the API uses Timestamps (unset when absent) for times people read, and keeps
// RECURRENCE-IDs as ISO strings, the form they are compared and keyed by everywhere else.

export function timestampOf(iso: string | undefined): Date | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** The meeting's SEQUENCE: its master's, or the highest of what it holds without one. */
export function meetingSequence(m: Meeting): number {
  if (m.master) return m.master.version.sequence;
  const versions = [...Object.values(m.overrides), ...Object.values(m.tombstones)].map((x) => x.version.sequence);
  return versions.length ? Math.max(...versions) : 0;
}

/** The join link of the master, else of the first override that has one. */
export function conferenceUrlOf(m: Meeting): string {
  const all = [...(m.master ? [m.master] : []), ...Object.keys(m.overrides).sort().map((k) => m.overrides[k]!)];
  return all.find((c) => c.conference?.url)?.conference?.url ?? '';
}

export function toVersion(v: Version): appointmentV1.Version {
  return { sequence: v.sequence, dtstamp: timestampOf(v.dtstamp) };
}

export function toDecision(d: Decision): appointmentV1.Decision {
  return { code: d.code, reason: d.reason, detail: d.detail, recurrenceId: d.recurrenceId, changes: [...d.changes] };
}

function toAttendee(a: Attendee): appointmentV1.Attendee {
  return {
    address: a.address, name: a.name, sentBy: a.sentBy, partstat: a.partstat, role: a.role, rsvp: a.rsvp, cutype: a.cutype,
    delegatedTo: a.delegatedTo, delegatedFrom: a.delegatedFrom, scheduleAgent: a.scheduleAgent,
    answer: a.answer && {
      partstat: a.answer.partstat, version: toVersion(a.answer.version), comment: a.answer.comment,
      delegatedTo: a.answer.delegatedTo, mailId: a.answer.mailId,
    },
  };
}

export function toComponent(c: Component): appointmentV1.Component {
  return {
    recurrenceId: c.recurrenceId, range: c.range, version: toVersion(c.version), start: timestampOf(c.start), end: timestampOf(c.end),
    timeZone: c.timeZone, allDay: c.allDay, summary: c.summary, location: c.location, description: c.description, status: c.status,
    organizer: { ...c.organizer }, attendees: c.attendees.map(toAttendee), rrule: c.rrule, rdate: c.rdate, exdate: c.exdate,
    conference: c.conference && { ...c.conference }, added: c.added ?? false,
  };
}

/**
 * Every attendee's PARTSTAT per instance: the series (''), each override, and each occurrence
 * a REPLY was about without an override. The same precedence as libs/itip's iCalendar writer:
 * an instance reply, else the attendee's reply, else what the organizer's REQUEST said.
 */
export function attendanceOf(m: Meeting): appointmentV1.InstanceAttendance[] {
  const rids = [...new Set(['', ...Object.keys(m.overrides), ...Object.keys(m.instanceAnswers)])].sort();
  return rids.flatMap((rid) => {
    const c = rid ? m.overrides[rid] ?? m.master : m.master;
    if (!c) return [];
    const answers = m.instanceAnswers[rid] ?? {};
    const listed = c.attendees.map((a): appointmentV1.AttendeeStatus => {
      const instance = rid ? answers[a.address] : undefined;
      if (instance) return { address: a.address, partstat: instance.partstat, source: 'instance-reply' };
      return a.answer ? { address: a.address, partstat: a.answer.partstat, source: 'reply' } : { address: a.address, partstat: a.partstat, source: 'request' };
    });
    // A delegate a REPLY for this instance named, whom no REQUEST listed.
    const extra = Object.entries(answers).filter(([address]) => !c.attendees.some((a) => a.address === address))
      .map(([address, a]) => ({ address, partstat: a.partstat, source: 'instance-reply' }));
    const start = rid ? (m.overrides[rid]?.start ?? rid) : c.start;
    const cancelled = m.status === 'cancelled' || (rid !== '' && instanceTombstone(m, rid) !== undefined) || c.status === 'CANCELLED';
    return [{ recurrenceId: rid, start: timestampOf(start), cancelled, attendees: [...listed, ...extra].sort((a, b) => a.address.localeCompare(b.address)) }];
  });
}

/** One copy, whole: the structured state, its iCalendar form and the stored model as JSON. */
export function toMeetingCopy(m: Meeting): appointmentV1.MeetingCopy {
  const byKey = <T>(record: Record<string, T>): T[] => Object.keys(record).sort().map((k) => record[k]!);
  return {
    id: m.id, uid: m.uid, associateId: m.owner.associateId, ownerAddresses: m.owner.addresses, ownerTimeZone: m.owner.timeZone,
    role: m.role, status: m.status, organizer: { ...m.organizer }, sequence: meetingSequence(m),
    master: m.master && toComponent(m.master),
    overrides: byKey(m.overrides).map(toComponent),
    tombstones: byKey(m.tombstones).map((t) => ({ recurrenceId: t.recurrenceId, range: t.range, version: toVersion(t.version), ownerRemoved: t.ownerRemoved, mailId: t.mailId })),
    attendance: attendanceOf(m),
    proposals: m.proposals.map((p) => ({
      from: p.from, recurrenceId: p.recurrenceId, version: toVersion(p.version), start: timestampOf(p.start), end: timestampOf(p.end),
      location: p.location, summary: p.summary, comment: p.comment, mailId: p.mailId,
    })),
    declinedCounters: m.declinedCounters.map((d) => ({ recurrenceId: d.recurrenceId, version: toVersion(d.version), comment: d.comment, mailId: d.mailId })),
    cautions: m.cautions.map((c) => ({ code: c.code, detail: c.detail })),
    ownAnswers: Object.keys(m.ownAnswers).sort().map((rid) => {
      const a = m.ownAnswers[rid]!;
      return { recurrenceId: rid, partstat: a.partstat, sequence: a.sequence, answeredAt: timestampOf(a.answeredAt), moved: a.moved };
    }),
    tentative: m.tentative, icalendar: toICalendar(m), modelJson: JSON.stringify(m), createdAt: timestampOf(m.createdAt), version: m.version,
    conferenceUrl: conferenceUrlOf(m),
  };
}
