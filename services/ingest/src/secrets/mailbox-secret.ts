// Secrets of mailbox logins given by reference (issue 12 point 1: "in Kubernetes read from a
// Secret"). The operator stores where the secret is — a file under MAILBOX_SECRETS_DIR (a
// mounted Secret volume) or an environment variable named MAILBOX_SECRET_* (a Secret's
// `env.valueFrom.secretKeyRef`) — and the poller reads it at each connect, so a rotated
// Secret is picked up on the next reconnect without touching ingest's database.
//
// The reference is confined: a caller of AddMailbox must not be able to make ingest read an
// arbitrary file (/proc/self/environ) or variable (MONGO_URL) and send it, as a password, to
// an IMAP server of the caller's choosing.
import { readFile, realpath } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { AppError } from '@inviteflow/runtime';
import type { MailboxAuth, MailboxAuthRef, SecretRef } from '../imap/mailbox.types';

export const SECRET_ERROR_CODES = {
  /** The reference is not allowed (outside MAILBOX_SECRETS_DIR, an env name without the prefix). */
  refInvalid: 'MAILBOX_SECRET_REF_INVALID',
  /** The file cannot be read, the variable is unset, or either is empty. */
  unreadable: 'MAILBOX_SECRET_UNREADABLE',
} as const;

/** Only variables with this prefix may hold a mailbox secret. */
export const SECRET_ENV_PREFIX = 'MAILBOX_SECRET_';
const ENV_NAME = /^MAILBOX_SECRET_[A-Z0-9_]{1,100}$/;
/** A secret larger than this is not a password or a bearer token (a wrong file was named). */
const MAX_SECRET_BYTES = 16 * 1024;

export interface SecretRefPolicy {
  /** Directory that file references must lie in (after resolving links); unset: files refused. */
  secretsDir?: string;
}

/** Checks a reference's shape and place; does not read it. */
export async function checkSecretRef(ref: SecretRef, policy: SecretRefPolicy): Promise<void> {
  if ('env' in ref) {
    if (!ENV_NAME.test(ref.env)) throw refInvalid(`an environment reference must be named ${SECRET_ENV_PREFIX}<NAME> (A-Z, 0-9, _), got '${ref.env}'`);
    return;
  }
  if (!policy.secretsDir) throw refInvalid('file references are off: ingest has no MAILBOX_SECRETS_DIR');
  if (!isAbsolute(ref.file)) throw refInvalid(`a file reference must be an absolute path, got '${ref.file}'`);
  const inside = (dir: string, file: string): boolean => {
    const rel = relative(dir, file);
    return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
  };
  if (!inside(policy.secretsDir, ref.file)) throw refInvalid(`a file reference must lie under ${policy.secretsDir}`);
  // Kubernetes mounts Secret keys as links into a ..data directory: resolve them, then check again.
  const [dir, file] = await Promise.all([realpath(policy.secretsDir), realpath(ref.file)]).catch((err: unknown) => {
    throw unreadable(`cannot read ${describeRef(ref)}`, err);
  });
  if (!inside(dir, file)) throw refInvalid(`${describeRef(ref)} leads outside ${policy.secretsDir}`);
}

/** Reads the secret a reference names. Its value never appears in an error. */
export async function readSecret(ref: SecretRef, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  let value: string | undefined;
  if ('env' in ref) {
    if (!ENV_NAME.test(ref.env)) throw refInvalid(`environment reference '${ref.env}' is not allowed`);
    value = env[ref.env];
  } else {
    const bytes = await readFile(ref.file).catch((err: unknown) => {
      throw unreadable(`cannot read ${describeRef(ref)} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    });
    if (bytes.length > MAX_SECRET_BYTES) throw unreadable(`${describeRef(ref)} is larger than ${MAX_SECRET_BYTES} bytes`);
    value = bytes.toString('utf8');
  }
  // `kubectl create secret --from-file` and editors leave a trailing newline; no password ends in one.
  const secret = value?.replace(/\r?\n$/, '');
  if (!secret) throw unreadable(`${describeRef(ref)} is ${value === undefined ? 'not set' : 'empty'}`);
  return secret;
}

/**
 * The login the poller connects with: as stored, or with the secret read from its reference
 * at this moment. Called by the poller at each connect (src/imap/mailbox.poller.ts).
 */
export async function resolveMailboxAuth(auth: MailboxAuth | MailboxAuthRef, env: NodeJS.ProcessEnv = process.env): Promise<MailboxAuth> {
  if ('passwordRef' in auth) return { user: auth.user, password: await readSecret(auth.passwordRef, env) };
  if ('accessTokenRef' in auth) return { user: auth.user, accessToken: await readSecret(auth.accessTokenRef, env) };
  return auth;
}

/** `file:<path>` / `env:<NAME>`: what a listing shows of a reference (it is not the secret). */
export function describeRef(ref: SecretRef): string {
  return 'env' in ref ? `env:${ref.env}` : `file:${ref.file}`;
}

function refInvalid(message: string): AppError {
  return new AppError({ code: SECRET_ERROR_CODES.refInvalid, message, retryable: false });
}

function unreadable(message: string, cause?: unknown): AppError {
  // Retryable: a Secret volume may be updated, a variable set on the next rollout.
  return new AppError({ code: SECRET_ERROR_CODES.unreadable, message, retryable: true, cause });
}
