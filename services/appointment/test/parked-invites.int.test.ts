import { eventsV1 } from '@inviteflow/proto-gen';
import { ApplyFixture, startApplyFixture } from './appointment.fixture';
import { FakeIdentity } from './fake-identity';

const JOHN = 'john.doe@contoso.com';
const BOSS = 'boss@partner.example';

function invite(o: { mailId: string; uid?: string; sequence?: number; summary?: string; to?: string[]; method?: string; from?: string; partstat?: string }): Uint8Array {
  const to = o.to ?? [JOHN];
  return eventsV1.InviteParsed.encode(eventsV1.InviteParsed.fromPartial({
    mailId: o.mailId, method: o.method ?? 'REQUEST', uid: o.uid ?? 'meeting-1',
    mail: { envelopeTo: to, from: o.from ?? BOSS },
    events: [{
      sequence: o.sequence ?? 0, dtstamp: new Date('2026-03-01T08:00:00Z'), start: new Date('2026-03-10T09:00:00Z'), end: new Date('2026-03-10T10:00:00Z'),
      summary: o.summary ?? 'Kick-off', organizer: { address: BOSS, name: 'Boss' },
      attendees: (o.method === 'REPLY' ? [BOSS] : to).map((a) => ({ address: a, name: a === JOHN ? 'John Doe' : '', partstat: o.partstat ?? 'NEEDS-ACTION' })),
    }],
  })).finish();
}

describe('invites parked for an unknown address in our domains', () => {
  let fx: ApplyFixture;
  let identity: FakeIdentity;
  const applied = () => fx.published.filter((p) => p.saved && p.codes.includes('APPLIED')).map((p) => [p.mailId, p.associateId]);

  beforeEach(async () => {
    identity = new FakeIdentity();
    fx = await startApplyFixture(identity, ['contoso.com']);
  });

  afterEach(async () => fx.close());

  test('When an invite is for an unknown address of ours, then nothing is applied, it is parked once and reported to identity', async () => {
    // Act: delivered twice, as JetStream may
    await fx.handle({ data: invite({ mailId: 'm1' }), seq: 1 });
    await fx.handle({ data: invite({ mailId: 'm1' }), seq: 1 });
    // Assert
    expect(fx.published).toEqual([]);
    expect(await fx.parkedRepo.listFor(JOHN)).toHaveLength(1);
    expect(identity.sightings.map((s) => [s.address, s.displayName, s.mailId])).toEqual([[JOHN, 'John Doe', 'm1'], [JOHN, 'John Doe', 'm1']]);
  });

  test('When the address becomes known, then parked invites are applied in arrival order, once, and removed', async () => {
    // Arrange: the original, then an update, then a copy of the original arriving late
    await fx.handle({ data: invite({ mailId: 'm1', sequence: 0, summary: 'Kick-off' }), seq: 1 });
    await fx.handle({ data: invite({ mailId: 'm2', sequence: 1, summary: 'Kick-off (moved)' }), seq: 2 });
    await fx.handle({ data: invite({ mailId: 'm3', sequence: 0, summary: 'Kick-off' }), seq: 3 });
    identity.holders.set(JOHN, 'JOHN');
    // Act: two drains at once (the identity.changed consumer and the periodic re-check)
    const [a, b] = await Promise.all([fx.parked.drain([JOHN]), fx.parked.drain([JOHN])]);
    // Assert: each message applied at most once; the late original is STALE, never applied
    expect(a + b).toBeGreaterThanOrEqual(3);
    expect(applied()).toEqual([['m1', 'JOHN'], ['m2', 'JOHN']]);
    const copy = await fx.meetings.find('JOHN', 'meeting-1');
    expect([copy?.master?.summary, copy?.master?.version.sequence, copy?.version, copy?.tentative]).toEqual(['Kick-off (moved)', 1, 2, true]);
    expect(fx.published.filter((p) => p.mailId === 'm3').every((p) => p.codes.every((c) => c === 'STALE' || c === 'DUPLICATE'))).toBe(true);
    expect(await fx.parkedRepo.listFor(JOHN)).toEqual([]);
    expect(await fx.parked.drain([JOHN])).toBe(0);
  });

  test('When the address became known while the invite was on its way, then it is applied at once', async () => {
    // Arrange: the cached answer still says unknown; identity itself already knows
    identity.holders.set(JOHN, 'JOHN');
    identity.stale.set(JOHN, undefined);
    // Act
    await fx.handle({ data: invite({ mailId: 'm1' }), seq: 1 });
    // Assert
    expect(applied()).toEqual([['m1', 'JOHN']]);
    expect(await fx.parkedRepo.listFor(JOHN)).toEqual([]);
  });

  test('When an invite has a known and an unknown recipient, then the known one gets it now and the other later', async () => {
    identity.holders.set('ann@contoso.com', 'ANN');
    await fx.handle({ data: invite({ mailId: 'm1', to: ['ann@contoso.com', JOHN] }), seq: 1 });
    expect(applied()).toEqual([['m1', 'ANN']]);
    identity.holders.set(JOHN, 'JOHN');
    await fx.parked.sweep();
    expect(applied()).toEqual([['m1', 'ANN'], ['m1', 'JOHN']]);
  });

  test('When the parked part of a mail is applied later, then its outcome keeps the earlier entry and names both', async () => {
    // Arrange: Ann gets it now, John's part is parked
    identity.holders.set('ann@contoso.com', 'ANN');
    await fx.handle({ data: invite({ mailId: 'm1', to: ['ann@contoso.com', JOHN] }), seq: 1 });
    const [before] = await fx.outcomes.findForMail('m1', ['meeting-1']);
    expect(before).toMatchObject({ outcome: 'APPLIED', appointmentIds: ['ANN|meeting-1'], parkedFor: [JOHN] });
    expect(before!.recipients!.map((r) => [r.address, r.outcome])).toEqual([['ann@contoso.com', 'APPLIED'], [JOHN, 'PARKED']]);
    // Act
    identity.holders.set(JOHN, 'JOHN');
    await fx.parked.drain([JOHN]);
    // Assert: merged, not replaced
    const [after] = await fx.outcomes.findForMail('m1', ['meeting-1']);
    expect(after).toMatchObject({ outcome: 'APPLIED', appointmentIds: ['ANN|meeting-1', 'JOHN|meeting-1'], parkedFor: [] });
    expect(after!.history).toHaveLength(1);
    expect(after!.recipients!.map((r) => [r.address, r.outcome, r.appliedLater ?? ''])).toEqual([['ann@contoso.com', 'APPLIED', ''], [JOHN, 'APPLIED', 'PARKED']]);
    expect(after!.later).toHaveLength(1);
  });

  test('When only parked parts remain and the last one is applied, then the outcome turns from PARKED to APPLIED', async () => {
    await fx.handle({ data: invite({ mailId: 'm1' }), seq: 1 });
    expect((await fx.outcomes.findForMail('m1', ['meeting-1']))[0]).toMatchObject({ outcome: 'PARKED', parkedFor: [JOHN] });
    identity.holders.set(JOHN, 'JOHN');
    await fx.parked.drain([JOHN]);
    expect((await fx.outcomes.findForMail('m1', ['meeting-1']))[0]).toMatchObject({ outcome: 'APPLIED', appointmentIds: ['JOHN|meeting-1'], parkedFor: [] });
  });

  test('When the unknown address is not in our domains, then nothing is parked or reported', async () => {
    await fx.handle({ data: invite({ mailId: 'm1', to: ['stranger@partner.example'] }), seq: 1 });
    expect(await fx.parkedRepo.addresses()).toEqual([]);
    expect(identity.sightings).toEqual([]);
  });

  test('When a REPLY reaches an organizer alias nobody registered yet, then it is parked and applied to the organizer copy once the alias is known', async () => {
    // Arrange: John organizes (his copy exists under his primary address); the reply goes to an alias
    identity.addAssociate('JOHN', { primaryAddress: JOHN });
    const organizerCopy = eventsV1.InviteParsed.encode(eventsV1.InviteParsed.fromPartial({
      mailId: 'own', method: 'REQUEST', uid: 'meeting-2', mail: { envelopeTo: [JOHN], from: JOHN },
      events: [{ sequence: 0, dtstamp: new Date('2026-03-01T08:00:00Z'), start: new Date('2026-03-10T09:00:00Z'), end: new Date('2026-03-10T10:00:00Z'),
        summary: 'Review', organizer: { address: JOHN }, attendees: [{ address: BOSS, partstat: 'NEEDS-ACTION' }] }],
    })).finish();
    await fx.handle({ data: organizerCopy, seq: 1 });
    const reply = eventsV1.InviteParsed.encode(eventsV1.InviteParsed.fromPartial({
      mailId: 'r1', method: 'REPLY', uid: 'meeting-2', mail: { envelopeTo: ['j.doe@contoso.com'], from: BOSS },
      events: [{ sequence: 0, dtstamp: new Date('2026-03-01T09:00:00Z'), organizer: { address: 'j.doe@contoso.com' }, attendees: [{ address: BOSS, partstat: 'ACCEPTED' }] }],
    })).finish();
    // Act
    await fx.handle({ data: reply, seq: 2 });
    expect(await fx.parkedRepo.listFor('j.doe@contoso.com')).toHaveLength(1);
    identity.addAssociate('JOHN', { primaryAddress: JOHN, aliases: ['j.doe@contoso.com'] });
    await fx.parked.drain(['j.doe@contoso.com']);
    // Assert
    const copy = await fx.meetings.find('JOHN', 'meeting-2');
    expect(copy?.role).toBe('organizer');
    expect(copy?.master?.attendees.map((a) => [a.address, a.answer?.partstat])).toEqual([[BOSS, 'ACCEPTED']]);
  });

  test('When a PUBLISH arrives for an unknown address of ours, then it is reported but not parked (it schedules nothing)', async () => {
    await fx.handle({ data: invite({ mailId: 'm1', method: 'PUBLISH' }), seq: 1 });
    expect(await fx.parkedRepo.addresses()).toEqual([]);
    expect(identity.sightings).toHaveLength(1);
  });
});
