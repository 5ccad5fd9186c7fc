// What the whole-cluster benches share: the five services as processes on a NATS of their own,
// a NATS connection to watch events, and one JSON report per bench under reports/.
import { testNatsConnectOptions } from '@inviteflow/testing';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { startTestCluster, TestCluster } from '../test/cluster.harness';

export interface BenchCluster {
  readonly t: TestCluster;
  readonly nc: NatsConnection;
}

/** Starts the cluster before the file's tests and stops it after; read the fields inside tests. */
export function useBenchCluster(domain: string): BenchCluster {
  const fx = {} as { t: TestCluster; nc: NatsConnection };
  beforeAll(async () => {
    fx.t = await startTestCluster([domain]);
    fx.nc = await connect({ servers: fx.t.infra.natsUrl, ...testNatsConnectOptions() });
  }, 120_000);
  afterAll(async () => {
    await fx.nc?.close();
    await fx.t?.stop();
  }, 60_000);
  return fx;
}

/** Writes reports/<name>.json and prints the same JSON. */
