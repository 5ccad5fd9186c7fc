// The NATS credentials of a local cluster or a test run: one nkey per identity (the five
// services, the CLI, the tests), each seed in its own 0600 file, and the nats-server
// authorization file generated from libs/messaging's permission table. nats-server reads the
// public keys from its environment (`$INVITEFLOW_NKEY_PARSER`), as in Kubernetes.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nkeys } from '@nats-io/nats-core';
import { NATS_IDENTITIES, nkeySeedFileName, nkeyVariable, renderNatsAuthorization, type NatsIdentity } from '@inviteflow/messaging';

export interface NatsCredentialSet {
  /** Directory holding `<identity>.nk` seed files and `nats-auth.conf`. */
  readonly dir: string;
  /** nats-server's `-c` file: the authorization block. */
  readonly configFile: string;
  /** What nats-server needs in its environment: each identity's public key. */
  readonly serverEnv: Readonly<Record<string, string>>;
  seedFile(identity: NatsIdentity): string;
}

/** The explicit development switch: `INVITEFLOW_NATS_AUTH=off` starts NATS without authorization. */
export function natsAuthDisabled(env: NodeJS.ProcessEnv): boolean {
  return env['INVITEFLOW_NATS_AUTH'] === 'off';
}

/** Seconds a client has to send its signed CONNECT (nats-server's default is 2; see renderNatsAuthorization). */
const LOCAL_AUTH_TIMEOUT_SECONDS = 15;

export const NATS_AUTH_OFF_WARNING =
  'WARNING: NATS AUTHORIZATION IS OFF (INVITEFLOW_NATS_AUTH=off): any local process can read and publish every subject. Development only.';

/**
 * Loads the set in `dir`, creating any identity's key that is missing, and (re)writes the
 * server's authorization file from the current permission table. Idempotent: a local cluster
 * keeps its keys across restarts, so a CLI in another terminal keeps working.
 */
export function ensureNatsCredentials(dir: string): NatsCredentialSet {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const serverEnv: Record<string, string> = {};
  for (const identity of NATS_IDENTITIES) {
    serverEnv[nkeyVariable(identity)] = loadOrCreateKey(join(dir, nkeySeedFileName(identity)));
  }
  const configFile = join(dir, 'nats-auth.conf');
  writeFileSync(configFile, renderNatsAuthorization(NATS_IDENTITIES, { authTimeoutSeconds: LOCAL_AUTH_TIMEOUT_SECONDS }), { mode: 0o600 });
  return { dir, configFile, serverEnv, seedFile: (identity) => join(dir, nkeySeedFileName(identity)) };
}

/** Returns the public key of the seed in `file`, writing a new user seed there first if absent. */
function loadOrCreateKey(file: string): string {
  if (existsSync(file)) return nkeys.fromSeed(new TextEncoder().encode(readFileSync(file, 'utf8').trim())).getPublicKey();
  const user = nkeys.createUser();
  writeFileSync(file, `${new TextDecoder().decode(user.getSeed())}\n`, { mode: 0o600 });
  return user.getPublicKey();
}
