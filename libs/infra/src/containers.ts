import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { withTimeout } from '@inviteflow/runtime';
import type { NatsCredentialSet } from './nats-credentials';

/** Images used where a container runtime answers (the path a developer laptop takes). */
export const CONTAINER_IMAGES = {
  nats: 'nats:2.12-alpine',
  // MongoDB 7 behaves like production; testcontainers starts it as a one-node replica set.
  mongo: 'mongo:7.0',
} as const;

export interface StartedContainerInfra {
  url: string;
  stop(): Promise<void>;
}

/**
 * Whether a container runtime answers. A cheap look for a socket or DOCKER_HOST comes first,
 * so machines without one (like this project's CI) do not wait on testcontainers' probes.
 */
export async function containerRuntimeAvailable(env: NodeJS.ProcessEnv = process.env, timeoutMs = 5000): Promise<boolean> {
  if (env['INVITEFLOW_CONTAINERS'] === 'off') return false;
  const hints = [env['DOCKER_HOST'], env['TESTCONTAINERS_HOST_OVERRIDE']].some(Boolean) ||
    ['/var/run/docker.sock', join(homedir(), '.docker/run/docker.sock'), join(homedir(), '.testcontainers.properties')].some(existsSync) ||
    (env['XDG_RUNTIME_DIR'] !== undefined && existsSync(join(env['XDG_RUNTIME_DIR'], 'podman/podman.sock')));
  if (!hints) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const probe = await withTimeout(async () => (await getContainerRuntimeClient()).info.containerRuntime.host !== undefined, timeoutMs);
    return probe.status === 'fulfilled' && probe.value;
  } catch {
    return false;
  }
}

export async function startNatsContainer(credentials?: NatsCredentialSet): Promise<StartedContainerInfra> {
  if (credentials) return startAuthorizedNatsContainer(credentials);
  const { NatsContainer } = await import('@testcontainers/nats');
  const started = await new NatsContainer(CONTAINER_IMAGES.nats).withJetStream().start();
  const url = `nats://${started.getHost()}:${started.getMappedPort(4222)}`;
  return { url, stop: async () => void (await started.stop()) };
}

/** The same image with the generated authorization file and the public keys in its environment. */
async function startAuthorizedNatsContainer(credentials: NatsCredentialSet): Promise<StartedContainerInfra> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const started = await new GenericContainer(CONTAINER_IMAGES.nats)
    .withCopyContentToContainer([{ content: readFileSync(credentials.configFile, 'utf8'), target: '/etc/nats/auth.conf' }])
    .withEnvironment({ ...credentials.serverEnv })
    .withCommand(['-c', '/etc/nats/auth.conf', '-js'])
    .withExposedPorts(4222)
    .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
    .start();
  return { url: `nats://${started.getHost()}:${started.getMappedPort(4222)}`, stop: async () => void (await started.stop()) };
}

export async function startMongoContainer(): Promise<StartedContainerInfra> {
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const started = await new MongoDBContainer(CONTAINER_IMAGES.mongo).start();
  return { url: `${started.getConnectionString()}?directConnection=true`, stop: async () => void (await started.stop()) };
}
