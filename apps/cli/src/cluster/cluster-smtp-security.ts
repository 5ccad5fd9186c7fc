// Mail security of a cluster the CLI runs (issue 15 pts 3 and 4): ingest offers STARTTLS with a
// throw-away certificate, and the parser evaluates SPF/DKIM/DMARC against a zone file instead
// of the network, so mail sent from loopback as the example domains is authenticated while
// enforcement stays on (a forged From still fails).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import type { GrpcPki } from '@inviteflow/infra';
import type { ClusterMailSecurity } from './service-catalog';

/** The local cluster's DNS zone: SPF allowing 127.0.0.1 and ::1, DMARC p=reject, for the example domains. */
export const LOCAL_MAIL_AUTH_ZONE = 'examples/local-dns.json';

/**
 * What `given` names, else: the gRPC server certificate (its CA is the cluster's, SAN localhost
 * and 127.0.0.1) when gRPC security made one, or a self-signed one of its own in `dir`; and the
 * zone at LOCAL_MAIL_AUTH_ZONE.
 */
export async function clusterMailSecurity(root: string, dir: string, pki: GrpcPki | undefined, given: ClusterMailSecurity = {}): Promise<ClusterMailSecurity> {
  const smtpTls = given.smtpTls ?? (pki ? { certFile: pki.serverCertFile, keyFile: pki.serverKeyFile } : await selfSignedSmtpCertificate(dir));
  return { smtpTls, mailAuthDns: given.mailAuthDns ?? join(root, LOCAL_MAIL_AUTH_ZONE) };
}

/** A fresh certificate per start (nothing to rotate, nothing committed); the key readable by the owner only. */
async function selfSignedSmtpCertificate(dir: string): Promise<{ certFile: string; keyFile: string }> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048, algorithm: 'sha256', notAfterDate: new Date(Date.now() + 30 * 86_400_000),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] }],
  });
  const certFile = join(dir, 'smtp.pem');
  const keyFile = join(dir, 'smtp.key');
  writeFileSync(certFile, pems.cert);
  writeFileSync(keyFile, pems.private, { mode: 0o600 });
  return { certFile, keyFile };
}
