import type { SMTPServerOptions, SMTPServerSession } from 'smtp-server';
import { ConnectionsPerAddress, verifyUser, type SmtpTls, type SmtpUsers } from './smtp.security';
import { INGEST_ERROR_CODES, smtpRefusal, type SmtpRefusal } from './smtp.refusal';

export interface SmtpSecurity {
  /** Offer STARTTLS (RFC 3207) with this certificate. */
  tls?: SmtpTls;
  /** A submission listener (RFC 6409): AUTH (PLAIN/LOGIN, only after STARTTLS) is required before MAIL. */
  users?: SmtpUsers;
  /** Open connections per client address; 0: no limit. */
  maxConnectionsPerIp?: number;
}

interface Log {
  info(o: object, m?: string): void;
}

/**
 * smtp-server options for one listener, and the per-address admission. Relay rules do not
 * change with AUTH: an authenticated user may still only send to ACCEPT_DOMAINS (ingest
 * receives, it never relays out).
 */
export function securityOptions(security: SmtpSecurity, log: Log) {
  const limiter = new ConnectionsPerAddress(security.maxConnectionsPerIp ?? 0);
  const admitted = new Set<string>();
  const users = security.users;
  const options: Partial<SMTPServerOptions> = {
    authOptional: !users,
    disabledCommands: [...(users ? [] : ['AUTH']), ...(security.tls ? [] : ['STARTTLS'])],
    ...(security.tls ? { key: security.tls.key, cert: security.tls.cert } : {}),
    ...(users ? {
      authMethods: ['PLAIN', 'LOGIN'],
      // RFC 4954 §4: no password in the clear: AUTH only once STARTTLS is up.
      allowInsecureAuth: false,
      onAuth: (auth, _session, callback) => {
        void verifyUser(users, auth.username ?? '', auth.password ?? '').then((ok) => {
          if (ok) return callback(null, { user: auth.username });
          log.info({ code: INGEST_ERROR_CODES.authFailed, user: auth.username }, 'submission AUTH refused');
          callback(smtpRefusal({ code: INGEST_ERROR_CODES.authFailed, responseCode: 535, message: '5.7.8 authentication credentials invalid' }));
        }, (err: unknown) => callback(err as Error));
      },
    } satisfies Partial<SMTPServerOptions> : {}),
  };
  return {
    options,
    admit(session: SMTPServerSession): SmtpRefusal | undefined {
      const refused = limiter.admit(session.remoteAddress);
      if (refused) log.info({ code: refused.code, client: session.remoteAddress }, refused.message);
      else admitted.add(session.id);
      return refused;
    },
    release(session: SMTPServerSession): void {
      if (admitted.delete(session.id)) limiter.release(session.remoteAddress);
    },
  };
}
