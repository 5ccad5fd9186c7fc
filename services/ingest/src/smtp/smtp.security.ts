import { readFileSync } from 'node:fs';
import { scryptSync, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { AppError } from '@inviteflow/runtime';
import { INGEST_ERROR_CODES, smtpRefusal, type SmtpRefusal } from './smtp.refusal';

/** STARTTLS (RFC 3207) material, read once at start. */
export interface SmtpTls {
  key: Buffer;
  cert: Buffer;
}

export function readTls(certFile: string, keyFile: string): SmtpTls {
  return { cert: readFileSync(certFile), key: readFileSync(keyFile) };
}

/**
 * Submission users (RFC 6409 §4.3, AUTH per RFC 4954): one `user:hash` per line, # comments.
 * The hash is bcrypt (`$2a$`/`$2b$`/`$2y$`, e.g. `htpasswd -nbB`) or
 * `$scrypt$<salt base64>$<key base64>` (Node's scrypt, N=16384 r=8 p=1, 64-byte key).
 */
export type SmtpUsers = ReadonlyMap<string, string>;

export function readUsers(file: string): SmtpUsers {
  const users = new Map<string, string>();
  for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const at = line.indexOf(':');
    const hash = line.slice(at + 1);
    if (at <= 0 || !/^\$(2[aby]|scrypt)\$/.test(hash)) {
      throw new AppError({ code: 'CONFIG_INVALID', message: `SMTP_USERS_FILE: a line is not user:<bcrypt or $scrypt$ hash>`, retryable: false });
    }
    users.set(line.slice(0, at), hash);
  }
  return users;
}

export async function verifyUser(users: SmtpUsers, user: string, password: string): Promise<boolean> {
  const hash = users.get(user);
  if (!hash) return false;
  if (hash.startsWith('$scrypt$')) {
    const [, , salt = '', key = ''] = hash.split('$');
    const expected = Buffer.from(key, 'base64');
    const actual = scryptSync(password, Buffer.from(salt, 'base64'), expected.length || 64);
    return expected.length > 0 && timingSafeEqual(actual, expected);
  }
  return bcrypt.compare(password, hash);
}

/**
 * Open connections per client address; beyond the limit the greeting is 421 4.7.0 and the
 * connection closes (RFC 5321 §3.8; Postfix's smtpd_client_connection_count_limit).
 */
export class ConnectionsPerAddress {
  private readonly open = new Map<string, number>();
  constructor(private readonly limit: number) {}

  /** Counts the connection in, or answers the refusal (the connection is then not counted). */
  admit(address: string): SmtpRefusal | undefined {
    const now = this.open.get(address) ?? 0;
    if (this.limit > 0 && now >= this.limit) {
      return smtpRefusal({
        code: INGEST_ERROR_CODES.tooManyConnections, responseCode: 421,
        message: `4.7.0 too many connections from ${address}, try again later`, details: { limit: this.limit },
      });
    }
    this.open.set(address, now + 1);
    return undefined;
  }

  release(address: string): void {
    const now = (this.open.get(address) ?? 1) - 1;
    if (now <= 0) this.open.delete(address);
    else this.open.set(address, now);
  }
}
