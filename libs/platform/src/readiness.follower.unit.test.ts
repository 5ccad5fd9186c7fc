import { followReadiness } from './readiness.follower';

describe('followReadiness', () => {
  test('When a dependency check fails and recovers, then gRPC serving status follows it', async () => {
    // Arrange
    let natsUp = true;
    const seen: boolean[] = [];
    const follower = followReadiness({ nats: () => natsUp, mongo: async () => true }, (s) => seen.push(s), 60_000);
    // Act
    await follower.refresh();
    natsUp = false;
    await follower.refresh();
    natsUp = true;
    await follower.refresh();
    follower.stop();
    await follower.refresh();
    // Assert: nothing is reported after stop (shutdown has taken over the status)
    expect(seen).toEqual([true, false, true]);
  });
});
