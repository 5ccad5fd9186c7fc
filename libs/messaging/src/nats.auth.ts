// How a client proves who it is to NATS: an nkey seed read from a file (Kubernetes mounts it
// from a Secret), and TLS where configured. The seed never leaves this module: it is read at
// connect and handed to nats.js's nkey authenticator, which signs the server's nonce.
import { readFileSync } from 'node:fs';
import { nkeyAuthenticator, type ConnectionOptions } from '@nats-io/nats-core';
import { AppError } from '@inviteflow/runtime';
import { MESSAGING_ERROR_CODES } from './messaging.errors';

export interface NatsTlsFiles {
  /** CA bundle that signed the server's certificate (PEM). */
  readonly caFile?: string;
  /** Client certificate and key, for servers that verify clients (PEM). */
  readonly certFile?: string;
  readonly keyFile?: string;
}

export type NatsClientAuth =
  /** The normal case: the identity's nkey seed in a file (NATS_NKEY_SEED_FILE). */
  | { readonly mode: 'nkey'; readonly seedFile: string; readonly tls?: NatsTlsFiles }
  /** Development only (NATS_AUTH=off): connect anonymously; logged loudly at connect. */
  | { readonly mode: 'off'; readonly tls?: NatsTlsFiles };

/** The nats.js connect options that carry `auth`: the authenticator and TLS files. */
export function natsAuthOptions(auth: NatsClientAuth | undefined): Pick<ConnectionOptions, 'authenticator' | 'tls'> {
  if (!auth) return {};
  const tls = auth.tls && (auth.tls.caFile || auth.tls.certFile)
    ? { tls: { caFile: auth.tls.caFile, certFile: auth.tls.certFile, keyFile: auth.tls.keyFile } }
    : {};
  if (auth.mode === 'off') return tls;
  return { authenticator: nkeyAuthenticator(readSeed(auth.seedFile)), ...tls };
}

function readSeed(file: string): Uint8Array {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AppError({
      code: MESSAGING_ERROR_CODES.natsCredentialsUnreadable, retryable: false, cause: err,
      message: `cannot read the NATS nkey seed file ${file}: ${(err as Error).message}`,
    });
  }
  // A seed is one line starting "SU" (a user seed); never echo the content in the error.
  const seed = text.trim();
  if (!/^SU[A-Z2-7]{56}$/.test(seed)) {
    throw new AppError({
      code: MESSAGING_ERROR_CODES.natsCredentialsUnreadable, retryable: false,
      message: `the NATS nkey seed file ${file} does not hold a user nkey seed (one line starting with SU)`,
    });
  }
  return new TextEncoder().encode(seed);
}

/** The shared config fields (libs/runtime natsConfig) as client auth, or an error when none is set. */
export function natsAuthFromConfig(config: {
  natsAuth?: 'nkey' | 'off'; natsNkeySeedFile?: string; natsTlsCaFile?: string; natsTlsCertFile?: string; natsTlsKeyFile?: string;
}): NatsClientAuth {
  const tls: NatsTlsFiles = { caFile: config.natsTlsCaFile, certFile: config.natsTlsCertFile, keyFile: config.natsTlsKeyFile };
  if (config.natsAuth === 'off') return { mode: 'off', tls };
  if (!config.natsNkeySeedFile) {
    throw new AppError({
      code: MESSAGING_ERROR_CODES.natsCredentialsMissing, retryable: false,
      message: 'NATS_NKEY_SEED_FILE is not set: every service connects to NATS with its own nkey (NATS_AUTH=off turns this off, for development only)',
    });
  }
  return { mode: 'nkey', seedFile: config.natsNkeySeedFile, tls };
}
