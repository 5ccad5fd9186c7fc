import { connectMongo, ensureIndexes, MongoConnection } from '@inviteflow/mongo';
import { eventsV1 } from '@inviteflow/proto-gen';
import { testMongoUrl, uniqueSuffix } from '@inviteflow/testing';
import { APPOINTMENT_INDEXES, AppointmentRepository, ApplyResult } from '../src/data/appointment.repository';
import { ParkedInviteRepository } from '../src/data/parked-invite.repository';
import { onInviteParsed } from '../src/handlers/invite-parsed.handler';
import { ParkedInvites } from '../src/handlers/parked-invite.service';
import { FakeIdentity } from './fake-identity';

const JOHN = 'john.doe@contoso.com';

function invite(o: { mailId: string; uid?: string; sequence?: number; summary?: string; to?: string[]; method?: string }): Uint8Array {
  const to = o.to ?? [JOHN];
  return eventsV1.InviteParsed.encode(eventsV1.InviteParsed.fromPartial({
    mailId: o.mailId, method: o.method ?? 'REQUEST', uid: o.uid ?? 'meeting-1',
    mail: { envelopeTo: to },
    events: [{
      sequence: o.sequence ?? 0, dtstamp: new Date('2026-03-01T08:00:00Z'), start: new Date('2026-03-10T09:00:00Z'), end: new Date('2026-03-10T10:00:00Z'),
      summary: o.summary ?? 'Kick-off', organizer: { address: 'boss@partner.example', name: 'Boss' },
      attendees: to.map((a) => ({ address: `mailto:${a}`, name: a === JOHN ? 'John Doe' : '' })),
    }],
  })).finish();
}

describe('invites parked for an unknown address in our domains', () => {
  let mongo: MongoConnection;
  let repo: AppointmentRepository;
  let parkedRepo: ParkedInviteRepository;
  let identity: FakeIdentity;
  let parked: ParkedInvites;
  let handle: ReturnType<typeof onInviteParsed>;
  let applied: Array<[ApplyResult, string, number]>;
  const log = { info: () => undefined };
  const now = () => new Date('2026-03-02T12:00:00Z');

  beforeEach(async () => {
    mongo = await connectMongo({ url: testMongoUrl(), dbName: `appointment_${uniqueSuffix()}`, appName: 'appointment-test' });
    await ensureIndexes(mongo.db, APPOINTMENT_INDEXES);
    repo = new AppointmentRepository(mongo.db);
    parkedRepo = new ParkedInviteRepository(mongo.db);
    identity = new FakeIdentity();
    applied = [];
    const onApplied = async (result: ApplyResult, s: { associateId: string; sequence: number }) => void applied.push([result, s.associateId, s.sequence]);
    parked = new ParkedInvites({ repo, parked: parkedRepo, identity, log, now, onApplied });
    handle = onInviteParsed({ repo, identity, parked, ourDomains: ['contoso.com'], log, now, onApplied });
  });

  afterEach(async () => {
    await mongo.db.dropDatabase();
    await mongo.close();
  });

  test('When an invite is for an unknown address of ours, then nothing is applied, it is parked once and reported to identity', async () => {
    // Act: delivered twice, as JetStream may
    await handle({ data: invite({ mailId: 'm1' }), seq: 1 });
    await handle({ data: invite({ mailId: 'm1' }), seq: 1 });
    // Assert
    expect(applied).toEqual([]);
    expect(await parkedRepo.listFor(JOHN)).toHaveLength(1);
    expect(identity.sightings.map((s) => [s.address, s.displayName, s.mailId])).toEqual([[JOHN, 'John Doe', 'm1'], [JOHN, 'John Doe', 'm1']]);
  });

  test('When the address becomes known, then parked invites are applied in arrival order, once, and removed', async () => {
    // Arrange: the original, then an update, then a copy of the original arriving late
    await handle({ data: invite({ mailId: 'm1', sequence: 0, summary: 'Kick-off' }), seq: 1 });
    await handle({ data: invite({ mailId: 'm2', sequence: 1, summary: 'Kick-off (moved)' }), seq: 2 });
    await handle({ data: invite({ mailId: 'm3', sequence: 0, summary: 'Kick-off' }), seq: 3 });
    identity.holders.set(JOHN, 'JOHN');
    // Act: two drains at once (the identity.changed consumer and the periodic re-check)
    const [a, b] = await Promise.all([parked.drain([JOHN]), parked.drain([JOHN])]);
    // Assert
    expect(a + b).toBeGreaterThanOrEqual(3);
    expect(applied.filter(([r]) => r === 'created')).toEqual([['created', 'JOHN', 0]]);
    expect(applied.filter(([r]) => r === 'updated')).toEqual([['updated', 'JOHN', 1]]);
    const diary = await repo.listDiary('JOHN');
    expect(diary.map((d) => [d.summary, d.sequence, d.version])).toEqual([['Kick-off (moved)', 1, 2]]);
    expect(await parkedRepo.listFor(JOHN)).toEqual([]);
    expect(await parked.drain([JOHN])).toBe(0);
  });

  test('When the address became known while the invite was on its way, then it is applied at once', async () => {
    // Arrange: the cached answer still says unknown; identity itself already knows
    identity.holders.set(JOHN, 'JOHN');
    identity.stale.set(JOHN, undefined);
    // Act
    await handle({ data: invite({ mailId: 'm1' }), seq: 1 });
    // Assert
    expect(applied).toEqual([['created', 'JOHN', 0]]);
    expect(await parkedRepo.listFor(JOHN)).toEqual([]);
  });

  test('When an invite has a known and an unknown recipient, then the known one gets it now and the other later', async () => {
    identity.holders.set('ann@contoso.com', 'ANN');
    await handle({ data: invite({ mailId: 'm1', to: ['ann@contoso.com', JOHN] }), seq: 1 });
    expect(applied).toEqual([['created', 'ANN', 0]]);
    identity.holders.set(JOHN, 'JOHN');
    await parked.sweep();
    expect(applied).toEqual([['created', 'ANN', 0], ['created', 'JOHN', 0]]);
  });

  test('When the parked part of a mail is applied later, then its outcome keeps the earlier entry and names both', async () => {
    // Arrange: Ann gets it now, John's part is parked
    identity.holders.set('ann@contoso.com', 'ANN');
    await handle({ data: invite({ mailId: 'm1', to: ['ann@contoso.com', JOHN] }), seq: 1 });
    const [before] = await repo.findOutcomes('m1', ['meeting-1']);
    expect(before).toMatchObject({ outcome: 'APPLIED', appointmentIds: ['ANN|meeting-1|'], parkedFor: [JOHN] });
    // Act
    identity.holders.set(JOHN, 'JOHN');
    await parked.drain([JOHN]);
    // Assert: merged, not replaced
    const [after] = await repo.findOutcomes('m1', ['meeting-1']);
    expect(after).toMatchObject({ outcome: 'APPLIED', appointmentIds: ['ANN|meeting-1|', 'JOHN|meeting-1|'], parkedFor: [] });
    expect(after!.history).toHaveLength(1);
  });

  test('When only parked parts remain and the last one is applied, then the outcome turns from PARKED to APPLIED', async () => {
    await handle({ data: invite({ mailId: 'm1' }), seq: 1 });
    expect((await repo.findOutcomes('m1', ['meeting-1']))[0]).toMatchObject({ outcome: 'PARKED', parkedFor: [JOHN] });
    identity.holders.set(JOHN, 'JOHN');
    await parked.drain([JOHN]);
    expect((await repo.findOutcomes('m1', ['meeting-1']))[0]).toMatchObject({ outcome: 'APPLIED', appointmentIds: ['JOHN|meeting-1|'], parkedFor: [] });
  });

  test('When the unknown address is not in our domains, then nothing is parked or reported', async () => {
    await handle({ data: invite({ mailId: 'm1', to: ['stranger@partner.example'] }), seq: 1 });
    expect(await parkedRepo.addresses()).toEqual([]);
    expect(identity.sightings).toEqual([]);
  });

  test('When a REPLY arrives for an unknown address of ours, then it is reported but not parked (replies do not change diaries here)', async () => {
    await handle({ data: invite({ mailId: 'm1', method: 'REPLY' }), seq: 1 });
    expect(await parkedRepo.addresses()).toEqual([]);
    expect(identity.sightings).toHaveLength(1);
  });
});
