import { eventsV1, identityV1 } from '@inviteflow/proto-gen';
import { callUnary, clientChannelOptions, clientCredentials } from '@inviteflow/rpc';
import { testGrpcSecurity } from '@inviteflow/testing';
import { ResolutionCache } from '../src/domain/resolution.cache';
import { IdentityClient, identityClient } from '../src/grpc/identity.client';
import { ApplyFixture, startApplyFixture } from './appointment.fixture';
import { IdentityProcess, startIdentityProcess } from './identity.process';

// Issue 8, finding 5: an invitation with more than 1 000 envelope recipients went to identity
// in one ResolveAddresses call, was refused BATCH_TOO_LARGE and dead-lettered for good.

const RECIPIENTS = 10_000;
const HOMER = 'homer@example.org';
/** In our domain and known to nobody: parked. Few, because each is a parked invite and a sighting. */
const NEWCOMERS = ['newcomer1@example.org', 'newcomer2@example.org', 'newcomer3@example.org', 'newcomer4@example.org'];

/** Mostly foreign addresses (nothing to do), Homer deep inside, past the first chunks. */
function envelope(): string[] {
  const foreign = Array.from({ length: RECIPIENTS - 1 - NEWCOMERS.length }, (_, i) => `guest${i}@partner${i % 40}.example`);
  return [...foreign.slice(0, 7321), HOMER, ...foreign.slice(7321, 9000), ...NEWCOMERS, ...foreign.slice(9000)];
}

function invite(envelopeTo: string[]): Uint8Array {
  return eventsV1.InviteParsed.encode(eventsV1.InviteParsed.fromPartial({
    mailId: 'all-hands-1', method: 'REQUEST', uid: 'all-hands', mail: { envelopeTo },
    events: [{
      sequence: 0, dtstamp: new Date('2026-03-01T08:00:00Z'), start: new Date('2026-03-10T09:00:00Z'), end: new Date('2026-03-10T10:00:00Z'),
      summary: 'All hands', organizer: { address: 'mailto:ceo@partner0.example', name: 'CEO' },
      attendees: [{ address: `mailto:${HOMER}`, name: 'Homer Simpson' }, { address: `mailto:${NEWCOMERS[0]}`, name: 'New Comer' }],
    }],
  })).finish();
}

describe('an invitation to 10 000 recipients, resolved by the real identity service', () => {
  let identityProcess: IdentityProcess;
  let admin: identityV1.IdentityServiceClient;
  let identity: IdentityClient;
  let cache: ResolutionCache;
  let fx: ApplyFixture;
  let homerId: string;

  beforeAll(async () => {
    identityProcess = await startIdentityProcess();
    const cli = testGrpcSecurity().client('cli');
    admin = new identityV1.IdentityServiceClient(identityProcess.address, clientCredentials(cli), clientChannelOptions(identityProcess.address, cli));
    const homer = identityV1.Associate.fromPartial({ name: 'Homer Simpson', primaryAddress: HOMER });
    homerId = (await callUnary<identityV1.UpsertAssociateResponse>((md, o, cb) => admin.upsertAssociate({ associate: homer }, md, o, cb), 10_000)).associate!.id;
    cache = new ResolutionCache(2 * RECIPIENTS, 600_000);
    // A generous deadline per call: the assertions are about what happened, never how fast.
    identity = identityClient(identityProcess.address, 20_000, testGrpcSecurity().client('appointment'), cache);
    fx = await startApplyFixture(identity, ['example.org']);
  }, 120_000);

  afterAll(async () => {
    identity?.close();
    admin?.close();
    await fx?.close();
    await identityProcess?.stop();
  });

  test('When an invitation has 10 000 recipients, then the one associate among them gets the appointment and the newcomers of our domain are parked', async () => {
    // Act
    await fx.handle({ data: invite(envelope()), seq: 1 });
    // Assert
    const copies = await fx.meetings.listByOwner(homerId);
    expect(copies.map((m) => [m.uid, m.master?.summary, m.role, m.tentative])).toEqual([['all-hands', 'All hands', 'attendee', true]]);
    expect((await fx.parkedRepo.addresses()).sort()).toEqual(NEWCOMERS);
    const [outcome] = await fx.outcomes.findForMail('all-hands-1', ['all-hands']);
    expect(outcome).toMatchObject({ outcome: 'APPLIED', parkedFor: NEWCOMERS });
    const unresolved = await callUnary<identityV1.ListUnresolvedResponse>((md, o, cb) => admin.listUnresolved({ limit: 100, includeResolved: false }, md, o, cb), 10_000);
    expect(unresolved.addresses.map((a) => a.address).sort()).toEqual(NEWCOMERS);
    expect(cache.stats()).toMatchObject({ misses: RECIPIENTS, size: RECIPIENTS });
  }, 120_000);

  test('When the same invitation is delivered again, then every recipient comes from the cache and the diary is unchanged', async () => {
    // Arrange
    const before = cache.stats();
    // Act
    await fx.handle({ data: invite(envelope()), seq: 1 });
    // Assert
    expect(cache.stats()).toMatchObject({ hits: before.hits + RECIPIENTS, misses: before.misses });
    expect((await fx.meetings.listByOwner(homerId)).map((m) => m.version)).toEqual([1]);
  }, 120_000);
});
