// The gate's settings cache (issue 14): one read at a time per associate, the next read started
// in the background past half the cache's age, nothing older than SETTINGS_CACHE_MS served, and
// nothing read before an invalidation cached after it. A counting fake stands for MongoDB.
import { eventsV1 } from '@inviteflow/proto-gen';
import type { MeetingRepository } from '../data/meeting.repository';
import type { SettingsRepository } from '../data/settings.repository';
import type { PolicySetting } from '../domain/incoming-policy';
import { IncomingGate } from './incoming.gate';

type Snapshot = { policies: PolicySetting[]; synchronizerInUse: boolean };

const OWNER = { associateId: 'HOMER', address: 'homer@example.org', addresses: ['homer@example.org'], timeZone: 'UTC' };
const INVITE = eventsV1.InviteParsed.fromPartial({ mailId: 'm1', method: 'REQUEST', uid: 'u1' });
const OPEN: Snapshot = { policies: [], synchronizerInUse: false };
const CLOSED: Snapshot = { policies: [{ level: 'associate', scope: 'HOMER', policy: 'DISABLE_ALL' }], synchronizerInUse: false };
const CACHE_MS = 2000;

/** Settings whose reads stay pending until the test answers them, in order. */
class PendingSettings {
  readonly reads: Array<(s: Snapshot) => void> = [];
  gateSnapshot(): Promise<Snapshot> {
    return new Promise((resolve) => this.reads.push(resolve));
  }
}

describe('the incoming gate\'s settings cache', () => {
  let clock: number;
  let settings: PendingSettings;
  let gate: IncomingGate;
  const screen = () => gate.screen(OWNER, INVITE, []).then((kept) => (kept ? 'kept out' : 'apply'));
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  beforeEach(() => {
    clock = 0;
    settings = new PendingSettings();
    gate = new IncomingGate({ settings: settings as unknown as SettingsRepository, meetings: {} as MeetingRepository, now: () => new Date(clock), cacheMs: CACHE_MS });
  });

  test('When several messages for one associate miss the cache together, then they share one read', async () => {
    // Act
    const answers = [screen(), screen(), screen()];
    await settle();
    settings.reads[0]!(CLOSED);
    // Assert
    expect(await Promise.all(answers)).toEqual(['kept out', 'kept out', 'kept out']);
    expect(settings.reads).toHaveLength(1);
  });

  test('When a hit is past half the cache\'s age, then it is answered at once from the cache and the next read starts in the background', async () => {
    // Arrange
    const first = screen();
    await settle();
    settings.reads[0]!(OPEN);
    await first;
    clock = CACHE_MS / 2;
    // Act
    const meanwhile = await screen();
    const again = await screen();
    settings.reads[1]!(CLOSED);
    await settle();
    clock = CACHE_MS - 1;
    const after = await screen();
    // Assert: the refresh started at CACHE_MS / 2 counts from then, so it is still fresh.
    expect([meanwhile, again, after]).toEqual(['apply', 'apply', 'kept out']);
    expect(settings.reads).toHaveLength(2);
  });

  test('When the cached read is as old as the cache allows and no refresh answered, then the message waits for a new read', async () => {
    // Arrange
    const first = screen();
    await settle();
    settings.reads[0]!(OPEN);
    await first;
    clock = CACHE_MS;
    // Act
    const late = screen();
    await settle();
    settings.reads[1]!(CLOSED);
    // Assert
    expect(await late).toBe('kept out');
    expect(settings.reads).toHaveLength(2);
  });

  test('When the settings are invalidated while a read is on its way, then its answer is not cached', async () => {
    // Arrange
    const first = screen();
    await settle();
    // Act
    gate.invalidate();
    settings.reads[0]!(OPEN);
    await first;
    const next = screen();
    await settle();
    settings.reads[1]!(CLOSED);
    // Assert
    expect(await next).toBe('kept out');
    expect(settings.reads).toHaveLength(2);
  });
});
