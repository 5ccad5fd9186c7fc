// The one place that talks SMTP: nodemailer's pooled SMTP transport to the configured relay.
// Delivery depends on the MailTransport port, so tests inject a relay of their own.
import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';

/** What delivery hands over: the envelope (RFC 5321) and the whole message (RFC 5322). */
export interface OutgoingMail {
  envelope: { from: string; to: string[] };
  raw: Buffer;
}

/** The relay's answer to an accepted message, e.g. "250 2.0.0 Ok: queued as 4F2A1". */
export interface RelayAcceptance {
  response: string;
}

/** Throws nodemailer's error (SmtpErrorShape) when the relay refuses or cannot be reached. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<RelayAcceptance>;
  close(): void;
}

export interface RelaySettings {
  smtpRelayUrl?: string | undefined;
  smtpRelayHost?: string | undefined;
  smtpRelayPort: number;
  smtpRelaySecure: boolean;
  smtpRelayRequireTls: boolean;
  smtpRelayTlsRejectUnauthorized: boolean;
  smtpRelayUser?: string | undefined;
  smtpRelayPassword?: string | undefined;
  smtpPoolSize: number;
  smtpPoolMaxMessages: number;
  smtpTimeoutMs: number;
}

/** Whether a relay is configured at all (else delivery is off and mail stays queued). */
export function relayConfigured(s: Pick<RelaySettings, 'smtpRelayUrl' | 'smtpRelayHost'>): boolean {
  return Boolean(s.smtpRelayUrl || s.smtpRelayHost);
}

/** nodemailer options for the relay: pooled, STARTTLS or implicit TLS, AUTH when a user is set. */
export function poolOptions(s: RelaySettings): SMTPPool.Options {
  const fromUrl = s.smtpRelayUrl ? relayFromUrl(s.smtpRelayUrl) : undefined;
  const user = fromUrl?.user || s.smtpRelayUser;
  const pass = fromUrl?.pass || s.smtpRelayPassword;
  return {
    pool: true,
    host: fromUrl?.host ?? s.smtpRelayHost ?? '',
    port: fromUrl?.port ?? s.smtpRelayPort,
    secure: fromUrl?.secure ?? s.smtpRelaySecure,
    requireTLS: s.smtpRelayRequireTls,
    tls: { rejectUnauthorized: s.smtpRelayTlsRejectUnauthorized },
    ...(user ? { auth: { user, pass } } : {}),
    maxConnections: s.smtpPoolSize,
    maxMessages: s.smtpPoolMaxMessages,
    connectionTimeout: s.smtpTimeoutMs,
    greetingTimeout: s.smtpTimeoutMs,
    socketTimeout: s.smtpTimeoutMs,
    // nodemailer's own logger would print the AUTH exchange; we log outcomes ourselves.
    logger: false,
    debug: false,
  };
}

function relayFromUrl(url: string): { host: string; port: number; secure: boolean; user: string; pass: string } {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname, port: u.port ? Number(u.port) : secure ? 465 : 587, secure,
    user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password),
  };
}

/** Where mail goes, for logs: host and port, never the user or password. */
export function relayLabel(s: RelaySettings): string {
  const o = poolOptions(s);
  return `${o.secure ? 'smtps' : 'smtp'}://${o.host}:${o.port}${o.auth ? ' (AUTH)' : ''}`;
}

export function smtpTransport(s: RelaySettings): MailTransport {
  const transporter = nodemailer.createTransport(poolOptions(s));
  return {
    async send(mail) {
      // `raw`: the renderer's bytes go out unchanged (their Message-ID included), so a
      // resend after a crash is byte for byte the same mail.
      const info = await transporter.sendMail({ envelope: mail.envelope, raw: mail.raw });
      return { response: String(info.response ?? '') };
    },
    close: () => transporter.close(),
  };
}
