// The "calendar synchronizer in use" preference (issue 10 §4) on a real MongoDB-wire server: the
// one-time upgrade detection, and the not-in-sync marking — batched, resumable after a crash,
// idempotent, never overwriting a copy an inbound apply changed meanwhile.
import type { Meeting } from '@inviteflow/itip';
import { connectMongo, ensureIndexes, MongoConnection } from '@inviteflow/mongo';
import { testMongoUrl, uniqueSuffix } from '@inviteflow/testing';
import { MeetingScan } from '../src/data/meeting-scan.repository';
import { toMeetingDoc } from '../src/data/meeting.codec';
import { MEETING_INDEXES, meetingId, MeetingRepository } from '../src/data/meeting.repository';
import { MigrationRepository } from '../src/data/migration.repository';
import { SettingsRepository } from '../src/data/settings.repository';
import { NotInSyncMarker, type NotInSyncPublisher } from '../src/handlers/not-in-sync.marker';
import { detectSynchronizer, SynchronizerPreference } from '../src/handlers/synchronizer.preference';

const LEASE_MS = 30_000;
const SWITCHED_ON = new Date('2026-03-02T12:00:00Z');
const log = { info: () => undefined, error: () => undefined };

function seedMeeting(i: number, createdAt = '2026-01-01T00:00:00.000Z'): Meeting {
  const associateId = `A${String(i % 50).padStart(2, '0')}`;
  const uid = `uid-${String(i).padStart(5, '0')}`;
  return {
    id: meetingId(associateId, uid), uid, owner: { associateId, addresses: [`${associateId.toLowerCase()}@example.org`], timeZone: 'UTC' },
    role: 'attendee', status: 'active', organizer: { address: 'lenny@partner.example', name: '', sentBy: '' },
    overrides: {}, tombstones: {}, instanceAnswers: {}, proposals: [], declinedCounters: [], cautions: [], ownAnswers: {},
    tentative: true, createdAt, version: 1,
  };
}

/** Publishes recorded by msgID; `failAt` throws on that call (1-based) to stand for a crash. */
function recorder(failAt?: number): { publish: NotInSyncPublisher; byMsgId: Map<string, number>; calls: () => number } {
  const byMsgId = new Map<string, number>();
  let calls = 0;
  const publish: NotInSyncPublisher = async (m) => {
    calls += 1;
    if (calls === failAt) throw new Error('injected crash while publishing');
    byMsgId.set(`not-in-sync:${m.id}`, (byMsgId.get(`not-in-sync:${m.id}`) ?? 0) + 1);
  };
  return { publish, byMsgId, calls: () => calls };
}

describe('the calendar synchronizer preference', () => {
  let mongo: MongoConnection;
  let meetings: MeetingRepository;
  let settings: SettingsRepository;
  let migrations: MigrationRepository;
  let scan: MeetingScan;
  let clock: Date;
  const now = () => clock;
  const marker = (publish: NotInSyncPublisher, owner: string, batchSize = 500, through: MeetingScan = scan) =>
    new NotInSyncMarker({ settings, scan: through, publish, now, log, batchSize, owner, leaseMs: LEASE_MS });
  const seed = async (count: number, from = 0, createdAt?: string) => {
    const docs = Array.from({ length: count }, (_, k) => toMeetingDoc(seedMeeting(from + k, createdAt), '2026-01-01T00:00:00.000Z'));
    for (let i = 0; i < docs.length; i += 1000) await mongo.db.collection('meetings').insertMany(docs.slice(i, i + 1000) as never[]);
  };
  const allCopies = async () => (await scan.pageAfter('', 1_000_000));

  beforeEach(async () => {
    mongo = await connectMongo({ url: testMongoUrl(), dbName: `appointment_sync_${uniqueSuffix()}`, appName: 'appointment-test' });
    await ensureIndexes(mongo.db, MEETING_INDEXES);
    meetings = new MeetingRepository(mongo.db);
    settings = new SettingsRepository(mongo.db);
    migrations = new MigrationRepository(mongo.db);
    scan = new MeetingScan(mongo.db);
    clock = SWITCHED_ON;
  });

  afterEach(async () => {
    await mongo.db.dropDatabase();
    await mongo.close();
  });

  test('Given the synchronizer\'s collections present, when the service starts twice, then the preference is switched on once, with when and why, and the second start does nothing', async () => {
    // Arrange
    await mongo.db.createCollection('diary_sync_links');
    await seed(3);
    const rec = recorder();
    const m = marker(rec.publish, 'p1');
    const preference = new SynchronizerPreference({ settings, marker: m, now, log });
    // Act
    const first = await detectSynchronizer({ migrations, preference, now }, ['diary_sync_state', 'diary_sync_links']);
    await m.run();
    clock = new Date(SWITCHED_ON.getTime() + 60_000);
    const second = await detectSynchronizer({ migrations, preference, now }, ['diary_sync_state', 'diary_sync_links']);
    // Assert
    expect([first, second]).toEqual(['switched-on', 'already-ran']);
    expect(await settings.synchronizer()).toMatchObject({ inUse: true, changedAt: SWITCHED_ON, changedBy: 'migration synchronizer-detection-v1', reason: expect.stringContaining('diary_sync_links') });
    expect(await migrations.find('synchronizer-detection-v1')).toMatchObject({ outcome: 'SWITCHED_ON', ranAt: SWITCHED_ON });
    expect(await settings.marking()).toMatchObject({ state: 'done', marked: 3, scanned: 3 });
    expect(rec.byMsgId.size).toBe(3);
  });

  test('Given no synchronizer collections at the first start, when they appear later and the operator switched it off meanwhile, then the detection never runs again and never switches it', async () => {
    const m = marker(recorder().publish, 'p1');
    const preference = new SynchronizerPreference({ settings, marker: m, now, log });
    expect(await detectSynchronizer({ migrations, preference, now }, ['diary_sync_state'])).toBe('not-found');
    await mongo.db.createCollection('diary_sync_state');
    expect(await detectSynchronizer({ migrations, preference, now }, ['diary_sync_state'])).toBe('already-ran');
    expect(await settings.synchronizer()).toBeUndefined();
    expect(await migrations.find('synchronizer-detection-v1')).toMatchObject({ outcome: 'NOT_FOUND' });
  });

  test('Given 10 000 copies and a crash in the middle of a batch, when marking resumes in another process, then every copy is marked exactly once with one event per msgID', async () => {
    // Arrange: 10 000 copies in batches of 1 000; the first runner dies on its 3 250th publish (batch 4 of 10)
    await seed(10_000);
    await settings.switchSynchronizer(true, 'operator', 'installed', SWITCHED_ON);
    await settings.startMarking('run-1', SWITCHED_ON, 'installed', SWITCHED_ON);
    const first = recorder(3250);
    // Act 1: the crash
    await expect(marker(first.publish, 'p1', 1000).run()).rejects.toThrow('injected crash');
    const checkpoint = (await settings.marking())!;
    // Act 2: another process: nothing while the dead runner's lease lives, then it resumes
    clock = new Date(SWITCHED_ON.getTime() + LEASE_MS - 1);
    expect(await marker(recorder().publish, 'p2', 1000).run()).toMatchObject({ result: 'idle' });
    clock = new Date(SWITCHED_ON.getTime() + LEASE_MS + 1);
    const second = recorder();
    const pass = await marker(second.publish, 'p2', 1000).run();
    // Assert: resumed after the 3rd checkpoint; batch 4 announced again under the same msgIDs
    const count = (filter: object) => mongo.db.collection('meetings').countDocuments(filter);
    expect([checkpoint.state, checkpoint.batches, checkpoint.marked, await count({ _id: { $lte: checkpoint.lastId } })]).toEqual(['running', 3, 3000, 3000]);
    expect(pass).toMatchObject({ result: 'done', batches: 7, marked: 7000 });
    expect(await count({ 'body.cautions.code': 'NOT_IN_SYNC' })).toBe(10_000);
    expect(await count({ 'body.cautions.1': { $exists: true } })).toBe(0); // never two cautions
    expect(await count({ version: { $ne: 2 } })).toBe(0); // one write each
    const events = new Map([...first.byMsgId]);
    for (const [id, n] of second.byMsgId) events.set(id, (events.get(id) ?? 0) + n);
    expect(events.size).toBe(10_000);
    expect([...events.values()].filter((n) => n > 1)).toEqual(Array(249).fill(2));
    expect(await settings.marking()).toMatchObject({ state: 'done', marked: 10_000, scanned: 10_000, batches: 10 });
  }, 120_000);

  test('Given a crash between announcing a page and marking it, when marking resumes, then each copy is marked once and that page is announced again under the same msgIDs', async () => {
    await seed(120);
    await settings.startMarking('run-1', SWITCHED_ON, 'installed', SWITCHED_ON);
    let writes = 0;
    const crashing = Object.create(scan) as MeetingScan;
    crashing.markNotInSync = async (...args) => {
      if (++writes === 2) throw new Error('injected crash while marking');
      return scan.markNotInSync(...args);
    };
    const rec = recorder();
    await expect(marker(rec.publish, 'p1', 50, crashing).run()).rejects.toThrow('injected crash');
    clock = new Date(SWITCHED_ON.getTime() + 2 * LEASE_MS);
    await marker(rec.publish, 'p2', 50).run();
    const copies = await allCopies();
    expect(copies.every((c) => c.version === 2 && c.cautions.length === 1)).toBe(true);
    expect(rec.byMsgId.size).toBe(120);
    expect([...rec.byMsgId.values()].filter((n) => n > 1)).toEqual(Array(50).fill(2));
  });

  test('Given an inbound apply read a copy before it was marked, when it saves, then the version guard refuses it and the re-read copy keeps the mark', async () => {
    await seed(1);
    await settings.startMarking('run-1', SWITCHED_ON, 'installed', SWITCHED_ON);
    const [before] = await allCopies();
    await marker(recorder().publish, 'p1').run();
    const lost = await meetings.save({ ...before!, organizer: { ...before!.organizer, name: 'Lenny Leonard' } }, before!.version, SWITCHED_ON);
    const reread = (await meetings.find(before!.owner.associateId, before!.uid))!;
    const retried = await meetings.save({ ...reread, organizer: { ...reread.organizer, name: 'Lenny Leonard' } }, reread.version, SWITCHED_ON);
    const [after] = await allCopies();
    expect([lost, retried]).toEqual(['conflict', 'saved']);
    expect([after!.organizer.name, after!.cautions.map((c) => c.code), after!.version]).toEqual(['Lenny Leonard', ['NOT_IN_SYNC'], 3]);
  });

  test('Given marking under way, when the preference is switched off, then marking stops, marked copies stay marked, and switching on again marks only the rest and copies created before the new switch', async () => {
    // Arrange: 300 copies, 2 created after the first switch-on (booked through the CRM meanwhile)
    await seed(300);
    await seed(2, 300, '2026-03-03T00:00:00.000Z');
    const rec = recorder(151);
    const m1 = marker(rec.publish, 'p1', 100);
    const preference = new SynchronizerPreference({ settings, marker: m1, now, log });
    await preference.set(true, 'operator', 'installed');
    await m1.run().catch(() => undefined); // dies at its 151st publish: the first page is marked
    // Act: off, then on again a day later
    expect(await preference.set(false, 'operator', 'uninstalled')).toBe(true);
    clock = new Date('2026-03-04T00:00:00Z');
    expect(await marker(recorder().publish, 'p2').run()).toMatchObject({ result: 'idle' });
    const whileOff = (await allCopies()).filter((c) => c.cautions.length > 0).length;
    const markedBeforeOff = (await settings.marking())!.marked;
    const again = recorder();
    const m2 = marker(again.publish, 'p3', 100);
    await new SynchronizerPreference({ settings, marker: m2, now, log }).set(true, 'operator', 'reinstalled');
    await m2.run();
    // Assert
    expect([whileOff, markedBeforeOff > 0, (await settings.marking())?.state]).toEqual([markedBeforeOff, true, 'done']);
    expect(again.byMsgId.size).toBe(302 - whileOff);
    expect((await allCopies()).every((c) => c.cautions.length === 1 && c.version === 2)).toBe(true);
  });
});
