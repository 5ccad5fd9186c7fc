import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  ensureNatsCredentials, natsAuthDisabled, startLocalMongo, startLocalNats, type InfraPaths, type LocalNats, type ManagedProcess, type NatsCredentialSet,
} from '@inviteflow/infra';

/**
 * The chaos run's own infrastructure on loopback: a nats-server whose JetStream file store
 * (`-sd`, a directory of its own under .data/tmp) outlives a kill -9, so it can be killed and
 * brought back on the same port and store, as a StatefulSet's pod would come back on its volume;
 * and MongoDB (MONGO_URL when set, else the stand-in with its memory backend: never killed).
 */
export interface ChaosInfra {
  natsUrl(): string;
  mongoUrl: string;
  /** The run's NATS keys (authorization on, as in `./dev up`), unless INVITEFLOW_NATS_AUTH=off. */
  natsCredentials?: NatsCredentialSet;
  natsPid(): number;
  /** SIGKILL nats-server; resolves once it is gone. */
  killNats(): Promise<void>;
  /** Starts it again on the same port and store directory; resolves when it listens. */
  restartNats(): Promise<void>;
  stop(): Promise<void>;
}

export async function startChaosInfra(paths: InfraPaths, run: string, env: NodeJS.ProcessEnv = process.env): Promise<ChaosInfra> {
  const storeDir = join(paths.dataDir, 'tmp', `nats-chaos-${run}`);
  const name = `nats-chaos-${run}`;
  const credentials = natsAuthDisabled(env) ? undefined : ensureNatsCredentials(join(paths.dataDir, 'tmp', `nats-auth-chaos-${run}`));
  let nats: LocalNats = await startLocalNats(paths, { storeDir, name, credentials });
  const port = Number(new URL(nats.url).port);
  let mongo: ManagedProcess | undefined;
  let mongoUrl = env['MONGO_URL'];
  try {
    if (!mongoUrl) {
      const m = await startLocalMongo(paths, { backend: { kind: 'memory' }, name: `mongo-chaos-${run}` });
      mongo = m.proc;
      mongoUrl = m.url;
    }
  } catch (err) {
    await nats.proc.stop();
    throw err;
  }
  return {
    natsUrl: () => nats.url,
    mongoUrl,
    natsCredentials: credentials,
    natsPid: () => nats.proc.child.pid ?? 0,
    killNats: async () => {
      const gone = new Promise((resolve) => nats.proc.child.once('exit', resolve));
      nats.proc.child.kill('SIGKILL');
      await gone;
    },
    restartNats: async () => {
      nats = await startLocalNats(paths, { storeDir, name, port, credentials });
    },
    stop: async () => {
      await nats.proc.stop(30_000);
      await mongo?.stop();
      rmSync(storeDir, { recursive: true, force: true });
      if (credentials) rmSync(credentials.dir, { recursive: true, force: true });
    },
  };
}
