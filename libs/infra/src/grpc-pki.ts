// A throw-away certificate authority and caller tokens for gRPC on one machine (issue 15 §2):
// the local cluster and the test run make a fresh set at start, so no key or token is ever
// committed or reused. node-forge (pure JS, no native build) builds the X.509 certificates,
// which Node's crypto cannot issue; keys and signatures come from Node's crypto.
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

/** Which callers may call which server, e.g. { identity: ['cli', 'appointment'] }. */
export type GrpcAccess = Readonly<Record<string, readonly string[]>>;

export interface GrpcPki {
  dir: string;
  /** PEM of the CA: clients trust it for servers, servers for mutual TLS. */
  caFile: string;
  /** One server certificate for every local service (SAN localhost, 127.0.0.1, ::1). */
  serverCertFile: string;
  serverKeyFile: string;
  /** One client certificate (mutual TLS) for every local caller. */
  clientCertFile: string;
  clientKeyFile: string;
  /** The file holding `caller`'s bearer token. */
  tokenFile(caller: string): string;
  /** The GRPC_CALLERS_FILE of `server`: `id:sha256` of each caller allowed. */
  callersFile(server: string): string;
}

interface Issued {
  cert: forge.pki.Certificate;
  /** PKCS#8 PEM. */
  keyPem: string;
}

const DAY_MS = 86_400_000;

/**
 * forge builds the certificate; Node's crypto (OpenSSL) makes the key and the signature: forge's
 * pure-JS RSA takes seconds per key and about a second per signature on a busy machine. forge
 * hands `key.sign` the digest object it fed the TBSCertificate's DER, so a collecting stand-in
 * gives that DER to crypto.sign (RSASSA-PKCS1-v1_5 with SHA-256, RFC 8017 §8.2).
 */
function signNatively(cert: forge.pki.Certificate, keyPem: string): void {
  let tbs = '';
  const md = { algorithm: 'sha256', update(bytes: string) { tbs += bytes; return md; } };
  const key = { sign: () => sign('sha256', Buffer.from(tbs, 'binary'), keyPem).toString('binary') };
  cert.sign(key as unknown as forge.pki.rsa.PrivateKey, md as unknown as forge.md.MessageDigest);
}

function issue(cn: string, extensions: object[], signer?: Issued): Issued {
  const pem = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(pem.publicKey);
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  // An hour back for clock skew; a throw-away set needs no long life.
  cert.validity.notBefore = new Date(Date.now() - 3_600_000);
  cert.validity.notAfter = new Date(Date.now() + 30 * DAY_MS);
  const subject = [{ name: 'commonName', value: cn }, { name: 'organizationName', value: 'inviteflow local' }];
  cert.setSubject(subject);
  cert.setIssuer(signer ? signer.cert.subject.attributes : subject);
  cert.setExtensions(extensions);
  signNatively(cert, signer?.keyPem ?? pem.privateKey);
  return { cert, keyPem: pem.privateKey };
}

/** A GRPC_CALLERS_FILE line, as libs/rpc parseCallers reads it (infra may not import rpc: rpc's tests use libs/testing, which uses infra). */
function callerLine(id: string, token: string): string {
  return `${id}:${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

function writeSecret(file: string, content: string): void {
  writeFileSync(file, content, { mode: 0o600 });
}

/** Writes a fresh CA, server and client certificates, a token per caller and a callers file per server into `dir`. */
export function generateGrpcPki(dir: string, access: GrpcAccess): GrpcPki {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = issue('inviteflow local gRPC CA', [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  const leaf = (cn: string, usage: object, alt: object[]): Issued => issue(cn, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    usage,
    ...(alt.length > 0 ? [{ name: 'subjectAltName', altNames: alt }] : []),
  ], ca);
  const server = leaf('localhost', { name: 'extKeyUsage', serverAuth: true }, [
    { type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' },
  ]);
  const client = leaf('inviteflow-local-client', { name: 'extKeyUsage', clientAuth: true }, []);
  const pki: GrpcPki = {
    dir,
    caFile: join(dir, 'ca.pem'),
    serverCertFile: join(dir, 'server.pem'),
    serverKeyFile: join(dir, 'server.key'),
    clientCertFile: join(dir, 'client.pem'),
    clientKeyFile: join(dir, 'client.key'),
    tokenFile: (caller) => join(dir, `${caller}.token`),
    callersFile: (srv) => join(dir, `${srv}.callers`),
  };
  writeFileSync(pki.caFile, forge.pki.certificateToPem(ca.cert));
  writeFileSync(pki.serverCertFile, forge.pki.certificateToPem(server.cert));
  writeSecret(pki.serverKeyFile, server.keyPem);
  writeFileSync(pki.clientCertFile, forge.pki.certificateToPem(client.cert));
  writeSecret(pki.clientKeyFile, client.keyPem);
  const tokens = new Map<string, string>();
  for (const caller of new Set(Object.values(access).flat())) {
    tokens.set(caller, randomBytes(32).toString('base64url'));
    writeSecret(pki.tokenFile(caller), `${tokens.get(caller)}\n`);
  }
  for (const [srv, callers] of Object.entries(access)) {
    writeFileSync(pki.callersFile(srv), `# callers of ${srv}: id:sha256(token)\n${callers.map((c) => callerLine(c, tokens.get(c)!)).join('\n')}\n`);
  }
  return pki;
}
