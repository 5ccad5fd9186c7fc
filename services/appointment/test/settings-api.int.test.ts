// GetSettings / SetSettings (issue 10 §3–§4) on a real MongoDB-wire server: the RPC functions the
// server wires, the gate the handler asks, and the marking the preference starts.
import { appointmentV1, eventsV1, identityV1 } from '@inviteflow/proto-gen';
import { MeetingScan } from '../src/data/meeting-scan.repository';
import { MigrationRepository } from '../src/data/migration.repository';
import { getSettings, setSettings, type SettingsRpcDeps } from '../src/grpc/settings.rpc';
import { IncomingGate } from '../src/handlers/incoming.gate';
import { NotInSyncMarker } from '../src/handlers/not-in-sync.marker';
import { SynchronizerPreference } from '../src/handlers/synchronizer.preference';
import { ApplyFixture, startApplyFixture } from './appointment.fixture';
import { FakeIdentity } from './fake-identity';

const HOMER = 'homer@example.org';
const LENNY = 'lenny@partner.example';
const NOW = new Date('2026-03-02T12:00:00Z');
const { IncomingPolicy } = appointmentV1;
const log = { info: () => undefined, error: () => undefined };
/** The operator's switch comes a minute after the copies were written. */
const LATER = () => new Date(NOW.getTime() + 60_000);

class Directory extends FakeIdentity {
  async getAssociate(id: string): Promise<identityV1.Associate | undefined> {
    const a = this.associates.get(id);
    return a && identityV1.Associate.fromPartial({ id, primaryAddress: a.primaryAddress, group: a.group ?? '' });
  }
}

const invite = (mailId: string, uid: string) => eventsV1.InviteParsed.encode(eventsV1.InviteParsed.fromPartial({
  mailId, method: 'REQUEST', uid, mail: { envelopeTo: [HOMER], from: LENNY },
  events: [{ sequence: 0, dtstamp: NOW, start: new Date('2026-04-07T08:00:00Z'), end: new Date('2026-04-07T09:00:00Z'), organizer: { address: LENNY }, attendees: [{ address: HOMER, partstat: 'NEEDS-ACTION' }] }],
})).finish();

describe('the Settings RPCs', () => {
  let fx: ApplyFixture;
  let deps: SettingsRpcDeps;
  let marker: NotInSyncMarker;
  const set = (req: Partial<appointmentV1.SetSettingsRequest>) => setSettings(deps, appointmentV1.SetSettingsRequest.fromPartial(req));

  beforeEach(async () => {
    const identity = new Directory();
    identity.addAssociate('HOMER', { primaryAddress: HOMER, group: 'sales' });
    identity.persons.set(LENNY, 'P-LENNY');
    fx = await startApplyFixture(identity, ['example.org'], () => NOW);
    const scan = new MeetingScan(fx.mongo.db);
    marker = new NotInSyncMarker({ settings: fx.settings, scan, publish: async () => undefined, now: LATER, log, batchSize: 100, owner: 'test', leaseMs: 30_000 });
    const preference = new SynchronizerPreference({ settings: fx.settings, marker, now: LATER, log });
    // The fixture's handler reads settings for every recipient; this gate stands for the server's cached one.
    const gate = new IncomingGate({ settings: fx.settings, meetings: fx.meetings, now: () => NOW, cacheMs: 60_000 });
    deps = { settings: fx.settings, migrations: new MigrationRepository(fx.mongo.db), scan, preference, gate, identity, now: () => NOW };
  });

  afterEach(async () => {
    await marker.stop();
    await fx.close();
  });

  test('When an operator sets an associate\'s policy by address, then it is stored under their id, GetSettings names the deciding level, and the next invitation is kept out', async () => {
    // Act
    const res = await set({ incomingPolicy: { level: 'associate', scope: HOMER, policy: IncomingPolicy.INCOMING_POLICY_DISABLE_ALL }, changedBy: 'cli:ops' });
    await set({ incomingPolicy: { level: 'group', scope: 'sales', policy: IncomingPolicy.INCOMING_POLICY_ENABLE_ALL } });
    const got = (await getSettings(deps, { associate: HOMER })).settings!;
    await fx.handle({ data: invite('m1', 'u1'), seq: 1 });
    // Assert
    expect(res.changed).toBe(true);
    expect(got.policies.map((p) => [p.level, p.scope, p.policy, p.updatedBy])).toEqual([
      ['associate', 'HOMER', IncomingPolicy.INCOMING_POLICY_DISABLE_ALL, 'cli:ops'], ['group', 'sales', IncomingPolicy.INCOMING_POLICY_ENABLE_ALL, 'operator'],
    ]);
    expect(got.effective).toMatchObject({ associateId: 'HOMER', group: 'sales', policy: IncomingPolicy.INCOMING_POLICY_DISABLE_ALL, level: 'associate', scope: 'HOMER' });
    expect((await fx.outcomes.findForMail('m1', ['u1']))[0]).toMatchObject({ outcome: 'POLICY' });
  });

  test('When a level is set to UNSPECIFIED, then its value is removed and the next level up decides', async () => {
    await set({ incomingPolicy: { level: 'system', scope: '', policy: IncomingPolicy.INCOMING_POLICY_NO_TENTATIVE_CREATION } });
    await set({ incomingPolicy: { level: 'associate', scope: 'HOMER', policy: IncomingPolicy.INCOMING_POLICY_DISABLE_ALL } });
    await set({ incomingPolicy: { level: 'associate', scope: 'HOMER', policy: IncomingPolicy.INCOMING_POLICY_UNSPECIFIED } });
    const got = (await getSettings(deps, { associate: 'HOMER' })).settings!;
    expect(got.effective).toMatchObject({ policy: IncomingPolicy.INCOMING_POLICY_NO_TENTATIVE_CREATION, level: 'system' });
  });

  test.each([
    [{ incomingPolicy: { level: 'team', scope: 'x', policy: 1 } }, 'INVALID_ARGUMENT', /level must be one of associate, group, system/],
    [{ incomingPolicy: { level: 'group', scope: '', policy: 1 } }, 'INVALID_ARGUMENT', /scope is required for the group level/],
    [{ incomingPolicy: { level: 'system', scope: 'sales', policy: 1 } }, 'INVALID_ARGUMENT', /scope must be empty/],
    [{ incomingPolicy: { level: 'associate', scope: 'nobody@example.org', policy: 1 } }, 'NOT_FOUND', /not an associate's address/],
    [{}, 'INVALID_ARGUMENT', /a change is required/],
  ])('When SetSettings gets %j, then it is refused with %s and nothing is stored', async (req, code, message) => {
    await expect(set(req as Partial<appointmentV1.SetSettingsRequest>)).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    expect(await fx.settings.listPolicies()).toEqual([]);
  });

  test('When the synchronizer preference is switched on twice, then the second call changes nothing and GetSettings shows the finished marking', async () => {
    await fx.handle({ data: invite('m1', 'u1'), seq: 1 });
    const first = await set({ synchronizerInUse: true, reason: 'synchronizer installed' });
    const second = await set({ synchronizerInUse: true });
    await marker.run();
    const got = (await getSettings(deps, { associate: '' })).settings!;
    expect([first.changed, second.changed]).toEqual([true, false]);
    expect(got.synchronizer).toMatchObject({ inUse: true, changedBy: 'operator', reason: 'synchronizer installed' });
    expect(got.marking).toMatchObject({ state: 'done', scanned: 1, marked: 1, total: 1 });
    expect((await fx.meetings.find('HOMER', 'u1'))!.cautions.map((c) => c.code)).toEqual(['NOT_IN_SYNC']);
  });
});
