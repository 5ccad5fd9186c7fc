import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dkimSign } from 'mailauth';

/** A DNS zone as MAIL_AUTH_DNS / the parser's resolver takes it: "TYPE name" → records. */
export type TestZone = Record<string, string[][]>;

/**
 * A sending domain for sender-authentication tests, with no network: a throw-away DKIM key
 * (selector `test`), the TXT records that publish it, SPF for `spfIp` and a DMARC policy.
 * `sign` adds a DKIM-Signature by that domain, as its outgoing MTA would.
 */
export function testMailDomain(domain: string, opts: { spfIp?: string; dmarc?: string } = {}) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pub = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const zone: TestZone = {
    [`TXT test._domainkey.${domain}`]: [[`v=DKIM1; k=rsa; p=${pub}`]],
    [`TXT _dmarc.${domain}`]: [[opts.dmarc ?? 'v=DMARC1; p=reject']],
    [`TXT ${domain}`]: [[`v=spf1 ip4:${opts.spfIp ?? '192.0.2.10'} -all`]],
  };
  const sign = async (raw: string): Promise<string> => {
    const key = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    // mailauth's types name the flat form; at run time it signs with signatureData.
    const signature = { signingDomain: domain, selector: 'test', privateKey: key };
    const signed = await dkimSign(raw, { ...signature, signatureData: [signature] } as Parameters<typeof dkimSign>[1]);
    return signed.signatures + raw;
  };
  return { domain, zone, sign };
}

/** Answers from the zones given; anything else is NXDOMAIN. */
export function testResolver(...zones: TestZone[]) {
  const all = Object.assign({}, ...zones) as TestZone;
  return async (name: string, rrtype: string): Promise<string[][]> => {
    const hit = all[`${rrtype.toUpperCase()} ${name.toLowerCase()}`];
    if (hit) return hit;
    throw Object.assign(new Error(`no ${rrtype} ${name}`), { code: 'ENOTFOUND' });
  };
}

/**
 * The domains tests send mail as over SMTP from loopback (e2e clusters, component tests): the
 * project's examples, the corpus's sender@example.com, and the reserved partner domains.
 */
export const LOOPBACK_SENDER_DOMAINS = ['example.org', 'example.com', 'example.net', 'partner.example', 'partner.test', 'bakery.example.com', 'test.example'];

/**
 * SPF that authorises 127.0.0.1 and ::1 for each domain, and DMARC p=reject: a test's mail sent
 * from loopback with the domain in MAIL FROM and From passes SPF aligned (RFC 7489 §3.1.2), as
 * a real MTA's would, while a From not matching MAIL FROM fails DMARC: enforcement stays on.
 * examples/local-dns.json holds the same records for `./dev up`.
 */
export function loopbackSenderZone(domains: readonly string[] = LOOPBACK_SENDER_DOMAINS): TestZone {
  return Object.fromEntries(domains.flatMap((d) => [
    [`TXT ${d}`, [['v=spf1 ip4:127.0.0.1 ip6:::1 -all']]],
    [`TXT _dmarc.${d}`, [['v=DMARC1; p=reject']]],
  ]));
}

/** Writes a MAIL_AUTH_DNS zone file (the loopback senders, plus `extra`, later zones winning) into `dir`; returns its path. */
export function writeMailAuthZone(dir: string, ...extra: TestZone[]): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'mail-auth-zone.json');
  writeFileSync(file, JSON.stringify(Object.assign(loopbackSenderZone(), ...extra), null, 1));
  return file;
}
