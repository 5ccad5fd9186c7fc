// Is a failed SMTP attempt worth repeating? Rules kept as data, first match wins (zone-mta's
// config/bounces.txt idea). Pure: it looks only at the error nodemailer gave.
//
// RFC 5321 §4.2.1: a 4yz reply is a transient negative completion (try again later), a 5yz reply
// a permanent one (do not repeat the same transaction). Failures without a reply (refused
// connection, timeout, TLS handshake, DNS) say nothing about the mail, so they are temporary.

/** What nodemailer's SMTP transport attaches to an error (nodemailer lib/smtp-connection). */
export interface SmtpErrorShape {
  /** EENVELOPE, EMESSAGE, ECONNECTION, ETIMEDOUT, ESOCKET, EDNS, ETLS, EAUTH, EPROTOCOL, ... */
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
}

export type SmtpFailureKind = 'temporary' | 'permanent';

export interface SmtpFailure {
  kind: SmtpFailureKind;
  /** The relay's reply code, 0 when there was none. */
  smtpCode: number;
  /** The relay's answer, or what went wrong, in one line (never credentials). */
  reason: string;
  /** Which rule decided, for logs. */
  rule: string;
}

interface Rule {
  name: string;
  kind: SmtpFailureKind;
  test: (e: SmtpErrorShape) => boolean;
}

const code = (e: SmtpErrorShape): number => (typeof e.responseCode === 'number' ? e.responseCode : 0);

export const SMTP_FAILURE_RULES: readonly Rule[] = [
  // 535 and friends refuse *our* credentials, not the mail: an operator fixes the config and
  // every queued mail should still go, so it is retried on the defer table.
  { name: 'auth-refused', kind: 'temporary', test: (e) => e.code === 'EAUTH' },
  // 552 on a message over the relay's size is permanent by §4.2.1; RFC 1893 X.2.2 "mailbox full" is
  // sent as 552 by some relays but means 452: treat 5.2.2 as temporary, as zone-mta does.
  { name: 'mailbox-full', kind: 'temporary', test: (e) => code(e) >= 500 && /\b5\.2\.2\b/.test(e.response ?? '') },
  { name: 'smtp-5xx', kind: 'permanent', test: (e) => code(e) >= 500 && code(e) < 600 },
  { name: 'smtp-4xx', kind: 'temporary', test: (e) => code(e) >= 400 && code(e) < 500 },
  { name: 'no-reply', kind: 'temporary', test: () => true },
];

/** Classifies one failed attempt by the first matching rule. */
export function classifySmtpFailure(err: unknown): SmtpFailure {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as SmtpErrorShape;
  const rule = SMTP_FAILURE_RULES.find((r) => r.test(e))!;
  return { kind: rule.kind, smtpCode: code(e), reason: oneLine(e.response || e.message || e.code || 'unknown failure'), rule: rule.name };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 500);
}
