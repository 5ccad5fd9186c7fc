// "Manage incoming invitations" and the synchronizer preference on the apply path (issue 10 §3,
// §4): the handler as the consumer calls it, on a real MongoDB-wire server, each policy value at
// each level, precedence, replies, parked invites, and what the audit records.
import { eventsV1 } from '@inviteflow/proto-gen';
import type { IncomingPolicy, PolicyLevel } from '../src/domain/incoming-policy';
import { INCOMING_POLICIES, POLICY_LEVELS } from '../src/domain/incoming-policy';
import { ApplyFixture, startApplyFixture } from './appointment.fixture';
import { FakeIdentity } from './fake-identity';

const HOMER = 'homer@example.org';
const MARGE = 'marge@example.org';
const LENNY = 'lenny@partner.example';
const NOW = new Date('2026-03-02T12:00:00Z');

interface Msg { mailId: string; method: string; to: string[]; from: string; uid: string; seq?: number; start?: string; organizer?: string; attendees?: { address: string; partstat?: string }[] }

function encode(m: Msg): Uint8Array {
  const start = new Date(m.start ?? '2026-04-07T08:00:00Z');
  const timed = m.method === 'REQUEST';
  return eventsV1.InviteParsed.encode(eventsV1.InviteParsed.fromPartial({
    mailId: m.mailId, method: m.method, uid: m.uid, mail: { envelopeTo: m.to, from: m.from },
    events: [{
      sequence: m.seq ?? 0, dtstamp: new Date('2026-03-01T08:00:00Z'), start: timed ? start : undefined, end: timed ? new Date(start.getTime() + 3_600_000) : undefined,
      timeZoneSource: 'utc', summary: 'Review', organizer: { address: m.organizer ?? LENNY },
      attendees: (m.attendees ?? [{ address: HOMER }]).map((p) => ({ partstat: 'NEEDS-ACTION', ...p })),
    }],
  })).finish();
}

const SCOPE: Record<PolicyLevel, string> = { associate: 'HOMER', group: 'sales', system: '' };

describe('Manage incoming invitations through the handler', () => {
  let fx: ApplyFixture;
  let identity: FakeIdentity;
  let seq = 0;
  const deliver = (m: Msg) => fx.handle({ data: encode(m), seq: ++seq });
  const recipient = async (mailId: string, uid: string) => (await fx.outcomes.findForMail(mailId, [uid]))[0]!.recipients![0]!;
  const setPolicy = (level: PolicyLevel, policy: IncomingPolicy | undefined) => fx.settings.setPolicy(level, SCOPE[level], policy, 'test', NOW);

  beforeEach(async () => {
    identity = new FakeIdentity();
    identity.addAssociate('HOMER', { primaryAddress: HOMER, group: 'sales' });
    identity.addAssociate('MARGE', { primaryAddress: MARGE, group: 'support' });
    identity.persons.set(LENNY, 'P-LENNY');
    fx = await startApplyFixture(identity, ['example.org'], () => NOW);
  });

  afterEach(async () => fx.close());

  const cases = POLICY_LEVELS.flatMap((level) => INCOMING_POLICIES.map((policy) => [policy, level] as const));

  test.each(cases)('Given %s set for the %s level, when an update to a held meeting and a new invitation arrive, then each is applied or recorded as POLICY by that value and level', async (policy, level) => {
    // Arrange: Homer holds "kept" from before the policy was set
    await deliver({ mailId: 'first', method: 'REQUEST', to: [HOMER], from: LENNY, uid: 'kept' });
    await setPolicy(level, policy);
    // Act
    await deliver({ mailId: 'moved', method: 'REQUEST', to: [HOMER], from: LENNY, uid: 'kept', seq: 1, start: '2026-04-08T08:00:00Z' });
    await deliver({ mailId: 'new', method: 'REQUEST', to: [HOMER], from: LENNY, uid: 'fresh' });
    // Assert
    const update = await recipient('moved', 'kept');
    const created = await recipient('new', 'fresh');
    const kept = (await fx.meetings.find('HOMER', 'kept'))!;
    const fresh = await fx.meetings.find('HOMER', 'fresh');
    const expected = {
      ENABLE_ALL: { update: 'APPLIED', created: 'APPLIED' },
      NO_TENTATIVE_CREATION: { update: 'APPLIED', created: 'POLICY' },
      NO_CREATION_UPDATES_REPLIES: { update: 'POLICY', created: 'POLICY' },
      DISABLE_ALL: { update: 'POLICY', created: 'POLICY' },
    }[policy];
    expect([update.outcome, created.outcome]).toEqual([expected.update, expected.created]);
    expect(kept.master!.start).toBe(expected.update === 'APPLIED' ? '2026-04-08T08:00:00.000Z' : '2026-04-07T08:00:00.000Z');
    expect(fresh === undefined).toBe(expected.created === 'POLICY');
    for (const entry of [update, created].filter((e) => e.outcome === 'POLICY')) {
      expect(entry.policy).toMatchObject({ outcome: 'POLICY', value: policy, level, scope: SCOPE[level] });
      expect(entry.decisions.map((d) => [d.code, d.reason])).toEqual([['IGNORED', `POLICY_${policy}`]]);
      // "Everything recorded": what libs/itip would have done; DISABLE_ALL does not even look.
      expect(entry.policy!.wouldHave?.map((d) => d.code)).toEqual(policy === 'DISABLE_ALL' ? undefined : ['APPLIED']);
    }
    expect(fx.published.filter((p) => p.mailId === 'new')).toHaveLength(expected.created === 'APPLIED' ? 1 : 0);
  });

  test('Given DISABLE_ALL for the system, NO_CREATION_UPDATES_REPLIES for the group and ENABLE_ALL for the associate, when settings are removed one by one, then the most specific remaining level decides each time', async () => {
    await setPolicy('system', 'DISABLE_ALL');
    await setPolicy('group', 'NO_CREATION_UPDATES_REPLIES');
    await setPolicy('associate', 'ENABLE_ALL');
    await deliver({ mailId: 'm1', method: 'REQUEST', to: [HOMER], from: LENNY, uid: 'u1' });
    await setPolicy('associate', undefined);
    await deliver({ mailId: 'm2', method: 'REQUEST', to: [HOMER], from: LENNY, uid: 'u2' });
    await setPolicy('group', undefined);
    await deliver({ mailId: 'm3', method: 'REQUEST', to: [HOMER], from: LENNY, uid: 'u3' });
    await setPolicy('system', undefined);
    await deliver({ mailId: 'm4', method: 'REQUEST', to: [HOMER], from: LENNY, uid: 'u4' });
    const entries = [await recipient('m1', 'u1'), await recipient('m2', 'u2'), await recipient('m3', 'u3'), await recipient('m4', 'u4')];
    expect(entries.map((e) => [e.outcome, e.policy?.level ?? '', e.policy?.value ?? ''])).toEqual([
      ['APPLIED', '', ''], ['POLICY', 'group', 'NO_CREATION_UPDATES_REPLIES'], ['POLICY', 'system', 'DISABLE_ALL'], ['APPLIED', '', ''],
    ]);
  });

  test('Given a group policy, when one mail reaches a member and a non-member, then only the member\'s copy is kept out and the audit names the group', async () => {
    await setPolicy('group', 'DISABLE_ALL');
    await deliver({ mailId: 'both', method: 'REQUEST', to: [HOMER, MARGE], from: LENNY, uid: 'u', attendees: [{ address: HOMER }, { address: MARGE }] });
    const [doc] = await fx.outcomes.findForMail('both', ['u']);
    expect(doc!.recipients!.map((r) => [r.associateId, r.outcome])).toEqual([['HOMER', 'POLICY'], ['MARGE', 'APPLIED']]);
    expect(doc!.outcome).toBe('APPLIED');
    expect(doc!.detail).toContain(`${HOMER}: POLICY — group policy DISABLE_ALL (sales)`);
  });

  test('Given NO_TENTATIVE_CREATION, when an attendee replies to a meeting the associate organised and the organizer cancels another, then both still apply', async () => {
    await deliver({ mailId: 'own', method: 'REQUEST', to: [HOMER], from: HOMER, uid: 'homers', organizer: HOMER, attendees: [{ address: LENNY }] });
    await deliver({ mailId: 'inv', method: 'REQUEST', to: [HOMER], from: LENNY, uid: 'lennys' });
    await setPolicy('associate', 'NO_TENTATIVE_CREATION');
    await deliver({ mailId: 'yes', method: 'REPLY', to: [HOMER], from: LENNY, uid: 'homers', organizer: HOMER, attendees: [{ address: LENNY, partstat: 'ACCEPTED' }] });
    await deliver({ mailId: 'off', method: 'CANCEL', to: [HOMER], from: LENNY, uid: 'lennys', seq: 1 });
    expect([(await recipient('yes', 'homers')).outcome, (await recipient('off', 'lennys')).outcome]).toEqual(['APPLIED', 'APPLIED']);
    expect((await fx.meetings.find('HOMER', 'lennys'))!.status).toBe('cancelled');
  });

  test('Given NO_CREATION_UPDATES_REPLIES, when an attendee replies to a meeting the associate organised, then the reply is recorded as POLICY and not applied', async () => {
    await deliver({ mailId: 'own', method: 'REQUEST', to: [HOMER], from: HOMER, uid: 'homers', organizer: HOMER, attendees: [{ address: LENNY }] });
    await setPolicy('associate', 'NO_CREATION_UPDATES_REPLIES');
    await deliver({ mailId: 'yes', method: 'REPLY', to: [HOMER], from: LENNY, uid: 'homers', organizer: HOMER, attendees: [{ address: LENNY, partstat: 'ACCEPTED' }] });
    const entry = await recipient('yes', 'homers');
    expect([entry.outcome, entry.meetingId, entry.policy?.wouldHave?.[0]?.code]).toEqual(['POLICY', 'HOMER|homers', 'APPLIED']);
    expect((await fx.meetings.find('HOMER', 'homers'))!.master!.attendees[0]!.answer).toBeUndefined();
  });

  test('Given the synchronizer in use, when an invitation arrives, then it is recorded as SYNCHRONIZER and no copy is written', async () => {
    await fx.settings.switchSynchronizer(true, 'test', 'installed', NOW);
    await deliver({ mailId: 'inv', method: 'REQUEST', to: [HOMER], from: LENNY, uid: 'u' });
    const entry = await recipient('inv', 'u');
    expect([entry.outcome, entry.policy?.level, entry.decisions[0]?.reason]).toEqual(['SYNCHRONIZER', 'global', 'SYNCHRONIZER_IN_USE']);
    expect(await fx.meetings.find('HOMER', 'u')).toBeUndefined();
    expect((await fx.outcomes.findForMail('inv', ['u']))[0]!.outcome).toBe('SYNCHRONIZER');
  });

  test('Given an invite parked for an unknown address, when the address becomes an associate with DISABLE_ALL, then the later entry is POLICY and no copy is written', async () => {
    await deliver({ mailId: 'parked', method: 'REQUEST', to: ['h.simpson@example.org'], from: LENNY, uid: 'u', attendees: [{ address: 'h.simpson@example.org' }] });
    await setPolicy('associate', 'DISABLE_ALL');
    identity.addAssociate('HOMER', { primaryAddress: HOMER, aliases: ['h.simpson@example.org'], group: 'sales' });
    expect(await fx.parked.drain(['h.simpson@example.org'])).toBe(1);
    const [doc] = await fx.outcomes.findForMail('parked', ['u']);
    expect(doc!.recipients!.map((r) => [r.outcome, r.appliedLater, r.policy?.level])).toEqual([['POLICY', 'PARKED', 'associate']]);
    expect(await fx.meetings.find('HOMER', 'u')).toBeUndefined();
  });
});
