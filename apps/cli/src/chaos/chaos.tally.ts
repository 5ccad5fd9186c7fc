import type { JetStreamClient } from '@nats-io/jetstream';
import { MongoClient } from 'mongodb';
import { STREAMS, SUBJECTS } from '@inviteflow/contracts';
import { eventsV1 } from '@inviteflow/proto-gen';
import { scanStream } from '../commands/stream.scan';

/**
 * Which invitations were applied: the appointment.scheduled.v1 events in the APPOINTMENT
 * stream (durable, so the count survives a NATS restart), keyed by stream sequence so a
 * re-read never counts one event twice. `uid → events` > 1 is a duplicate.
 */
export class AppliedTally {
  private readonly bySeq = new Map<number, { uid: string; at: number }>();
  private lastTime: Date;

  constructor(since: Date) {
    this.lastTime = since;
  }

  /** Reads what was stored since the last read (one second back: the server's clock may lag). */
  async refresh(js: JetStreamClient): Promise<void> {
    const from = new Date(this.lastTime.getTime() - 1000);
    await scanStream(js, { stream: STREAMS.appointment.name, subjects: [SUBJECTS.appointmentScheduledV1], from, limit: 1_000_000 }, (m) => {
      if (this.bySeq.has(m.seq)) return;
      this.bySeq.set(m.seq, { uid: eventsV1.AppointmentScheduled.decode(m.data).uid, at: m.time.getTime() });
      if (m.time > this.lastTime) this.lastTime = m.time;
    });
  }

  /** Events per UID. */
  perUid(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { uid } of this.bySeq.values()) counts.set(uid, (counts.get(uid) ?? 0) + 1);
    return counts;
  }

  /** When each UID was first applied (the stream's clock, ms). */
  firstApplied(): Map<string, number> {
    const first = new Map<string, number>();
    for (const { uid, at } of this.bySeq.values()) if (!first.has(uid) || at < first.get(uid)!) first.set(uid, at);
    return first;
  }

  appliedAll(uids: Iterable<string>): boolean {
    const counts = this.perUid();
    for (const uid of uids) if (!counts.has(uid)) return false;
    return true;
  }
}

/** The other count: stored meeting copies per UID in the appointment service's database. */
export async function meetingsPerUid(mongoUrl: string, database: string): Promise<Map<string, number>> {
  const client = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 10_000 });
  try {
    const docs = await client.db(database).collection<{ uid: string }>('meetings').find({}, { projection: { uid: 1 } }).toArray();
    const counts = new Map<string, number>();
    for (const d of docs) counts.set(d.uid, (counts.get(d.uid) ?? 0) + 1);
    return counts;
  } finally {
    await client.close();
  }
}
