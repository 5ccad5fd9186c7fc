// Component tests run the real service in-process through its exported `start(config)`
// (house style §6, practica's component tests), on ports it picks and a database of its own,
// instead of re-wiring its parts by hand.
import { RunningService, StartOptions } from '@inviteflow/platform';
import { ConfigOf, ConfigSchema, Env, loadConfig } from '@inviteflow/runtime';
import { startPrivateNats } from './private-nats';
import { TEST_GRPC_CALLERS, testGrpcSecurity } from './grpc-security';
import { serviceNatsEnv, testMongoUrl, uniqueSuffix } from './test-env';

export interface InProcessService<T extends ConfigSchema, O extends StartOptions = StartOptions> {
  readonly service: string;
  readonly schema: T;
  readonly start: (config: ConfigOf<T>, options?: O) => Promise<RunningService>;
}

export interface InProcessRunning extends RunningService {
  /** The NATS the service talks to: its own server unless `env` named one. */
  readonly natsUrl: string;
}

/**
 * Starts `service` against the run's MongoDB (a fresh database) with every port 0; `env` adds
 * or overrides variables exactly as a deployment would set them. Unless `env` names a
 * NATS_URL, the service gets a nats-server of its own: a real service provisions the real
 * streams (MAIL, INVITE, ...), whose subjects would collide with other tests' streams on the
 * run's shared server. `stop()` stops the service, then that server. A service with gRPC runs
 * with TLS and caller tokens (testGrpcSecurity, its own name as its caller id); `env` may say
 * GRPC_SECURITY=off, which the service logs as development only.
 */
export async function startInProcess<T extends ConfigSchema, O extends StartOptions>(
  def: InProcessService<T, O>,
  env: Env = {},
  options?: O,
): Promise<InProcessRunning> {
  const ownNats = env['NATS_URL'] ? undefined : await startPrivateNats(def.service);
  const natsUrl = env['NATS_URL'] ?? ownNats!.natsUrl;
  const base: Env = {
    NATS_URL: natsUrl,
    // The service connects as itself, with its own permissions (nats.permissions.ts).
    ...serviceNatsEnv(def.service),
    MONGO_URL: testMongoUrl(),
    MONGO_DB: `${def.service.replace(/-/g, '_')}_${uniqueSuffix()}`,
    HEALTH_PORT: '0',
    GRPC_PORT: '0',
    SMTP_PORT: '0',
    LOG_LEVEL: 'warn',
    SHUTDOWN_TIMEOUT_MS: '5000',
    ...grpcSecurityEnv(def),
    // The run's sender-authentication zone (global set-up), for a parser: no network.
    ...(process.env['MAIL_AUTH_DNS'] ? { MAIL_AUTH_DNS: process.env['MAIL_AUTH_DNS'] } : {}),
  };
  try {
    const config = loadConfig(def.schema, { ...base, ...env }, { service: def.service });
    const running = await def.start(config, options);
    return {
      ...running, natsUrl,
      stop: async () => {
        const result = await running.stop();
        await ownNats?.stop();
        return result;
      },
    };
  } catch (err) {
    await ownNats?.stop();
    throw err;
  }
}

/** Security on by default for a service whose schema has GRPC_SECURITY (issue 15). */
function grpcSecurityEnv(def: { service: string; schema: ConfigSchema }): Env {
  if (!Object.values(def.schema).some((v) => v.env === 'GRPC_SECURITY')) return {};
  const caller = (TEST_GRPC_CALLERS as readonly string[]).includes(def.service) ? def.service : 'test';
  return testGrpcSecurity().serviceEnv(caller);
}
