import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolverFromSetting } from './dns.resolver';

describe('MAIL_AUTH_DNS as a zone file (local cluster, tests)', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'zone-')), 'zone.json');
  writeFileSync(file, JSON.stringify({ 'TXT Example.ORG.': [['v=spf1 ip4:127.0.0.1 -all']] }));

  test('When a name in the zone is asked, then its records come back, whatever the case and trailing dot', async () => {
    await expect(resolverFromSetting(file, 1000)('example.org', 'TXT')).resolves.toEqual([['v=spf1 ip4:127.0.0.1 -all']]);
  });

  test('When a name outside the zone is asked, then it is NXDOMAIN with code ENOTFOUND, as mailauth expects from node:dns', async () => {
    await expect(resolverFromSetting(file, 1000)('_dmarc.example.org', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  test('When the zone file is missing, then boot fails with CONFIG_INVALID naming MAIL_AUTH_DNS', () => {
    expect(() => resolverFromSetting(join(tmpdir(), 'no-such-zone.json'), 1000)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
