// Stored meetings for the scheduling bench, and what one round trip costs on them.
import type { Collection, Db } from 'mongodb';
import { applyMessage } from '@inviteflow/itip';
import { updateIfVersion } from '@inviteflow/mongo';
import { MeetingDoc, meetingId, toMeetingDoc } from '../src/data/meeting.codec';
import { associateAddress, associateId, ASSOCIATE_ZONE, seedMeeting, seedRequest } from './scheduling.workload';
import { latencySummary, LatencySummary } from './bench.stats';

const BATCH = 1000;

/**
 * Writes `count` meeting copies directly, not through the service: each is libs/itip's copy
 * from its seeding REQUEST (applyMessage, as the service computes it), stored as the service
 * stores a new copy (toMeetingDoc, version 1), by bulk inserts. What is measured is applying
 * inbound messages to a diary of that size, not filling it.
 */
export async function seedMeetings(db: Db, count: number): Promise<void> {
  const meetings = db.collection<MeetingDoc>('meetings');
  const now = new Date('2026-03-01T09:00:00Z');
  for (let from = 0; from < count; from += BATCH) {
    const docs: MeetingDoc[] = [];
    for (let i = from; i < Math.min(from + BATCH, count); i++) {
      const m = seedMeeting(i);
      const id = meetingId(associateId(m.associate), m.uid);
      const ctx = {
        now: now.toISOString(), newMeetingId: id, senderAddresses: [m.organizer],
        owner: { associateId: associateId(m.associate), addresses: [associateAddress(m.associate)], timeZone: ASSOCIATE_ZONE },
      };
      const { next } = applyMessage(undefined, seedRequest(m), ctx);
      if (!next) throw new TypeError(`seed meeting ${i}: its REQUEST created no copy`);
      docs.push({ ...toMeetingDoc(next, now.toISOString()), version: 1 });
    }
    await meetings.insertMany(docs, { ordered: false });
  }
}

export interface RoundTripCosts {
  documents: number;
  samples: number;
  /** `findOne({ _id })`: what MeetingRepository.find sends. */
  findById: LatencySummary;
  /** `updateOne({ _id, version })` with `$inc: { version }`: what MeetingRepository.save sends (libs/mongo updateIfVersion). */
  updateWithVersionGuard: LatencySummary;
  /** `updateOne({ _id })`, the same change without the guard: the index-only baseline. */
  updateById: LatencySummary;
}

/**
 * Sequential single operations on random stored copies, the three shapes interleaved so each
 * sees the same moment of a busy machine, after a short warm-up: the cost of one round trip.
 */
export async function measureRoundTrips(db: Db, count: number, samples: number): Promise<RoundTripCosts> {
  const meetings = db.collection<MeetingDoc>('meetings');
  const ids = Array.from({ length: samples }, () => idOf(Math.floor(Math.random() * count)));
  const versions = new Map((await meetings.find({ _id: { $in: ids } }, { projection: { version: 1 } }).toArray()).map((d) => [d._id, d.version]));
  const guarded = async (id: string): Promise<void> => {
    const outcome = await updateIfVersion(meetings, id, versions.get(id)!, { $set: { updatedAt: new Date().toISOString() } });
    if (outcome === 'updated') versions.set(id, versions.get(id)! + 1);
  };
  const shapes = [(id: string) => meetings.findOne({ _id: id }), guarded, (id: string) => touch(meetings, id)];
  for (const id of ids.slice(0, 30)) for (const shape of shapes) await shape(id);
  const ms: number[][] = [[], [], []];
  for (const id of ids) {
    for (const [i, shape] of shapes.entries()) {
      const t0 = performance.now();
      await shape(id);
      ms[i]!.push(performance.now() - t0);
    }
  }
  const [findById, updateWithVersionGuard, updateById] = ms.map(latencySummary) as [LatencySummary, LatencySummary, LatencySummary];
  return { documents: await meetings.countDocuments(), samples, findById, updateWithVersionGuard, updateById };
}

function idOf(i: number): string {
  const m = seedMeeting(i);
  return meetingId(associateId(m.associate), m.uid);
}

function touch(meetings: Collection<MeetingDoc>, id: string): Promise<unknown> {
  return meetings.updateOne({ _id: id }, { $set: { updatedAt: new Date().toISOString() } });
}
