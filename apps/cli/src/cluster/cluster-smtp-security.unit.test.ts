import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findWorkspaceRoot, type GrpcPki } from '@inviteflow/infra';
import { clusterMailSecurity, LOCAL_MAIL_AUTH_ZONE } from './cluster-smtp-security';

const root = findWorkspaceRoot(__dirname);

describe('the local cluster\'s mail security (issue 15 pts 3-4)', () => {
  test('Given the cluster has a gRPC CA, when mail security is set up, then ingest reuses its server certificate', async () => {
    const pki = { serverCertFile: '/pki/server.pem', serverKeyFile: '/pki/server.key' } as GrpcPki;

    const security = await clusterMailSecurity(root, mkdtempSync(join(tmpdir(), 'smtp-tls-')), pki);

    expect(security.smtpTls).toEqual({ certFile: '/pki/server.pem', keyFile: '/pki/server.key' });
  });

  test('Given gRPC security is off, when mail security is set up, then a self-signed certificate for 127.0.0.1 is made, its key readable by the owner only', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'smtp-tls-')), 'tls');

    const security = await clusterMailSecurity(root, dir, undefined);

    const cert = new X509Certificate(readFileSync(security.smtpTls!.certFile));
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(statSync(security.smtpTls!.keyFile).mode & 0o777).toBe(0o600);
  });

  test('When mail security is set up, then the parser gets the example zone, which authorises loopback for the example domains with DMARC p=reject', async () => {
    const security = await clusterMailSecurity(root, mkdtempSync(join(tmpdir(), 'smtp-tls-')), { serverCertFile: 'c', serverKeyFile: 'k' } as GrpcPki);

    expect(security.mailAuthDns).toBe(join(root, LOCAL_MAIL_AUTH_ZONE));
    const zone = JSON.parse(readFileSync(security.mailAuthDns!, 'utf8')) as Record<string, string[][]>;
    for (const domain of ['example.org', 'example.com', 'bakery.example.com']) {
      expect(zone[`TXT ${domain}`]).toEqual([['v=spf1 ip4:127.0.0.1 ip6:::1 -all']]);
      expect(zone[`TXT _dmarc.${domain}`]).toEqual([['v=DMARC1; p=reject']]);
    }
  });
});
