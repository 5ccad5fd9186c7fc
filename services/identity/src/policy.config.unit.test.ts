import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@inviteflow/runtime';
import { effectivePolicies, identityConfig } from './config';

const base = { NATS_URL: 'nats://127.0.0.1:4222', MONGO_URL: 'mongodb://127.0.0.1:27017' };

describe('address policy configuration', () => {
  test('When nothing is configured, then the documented defaults apply', () => {
    const config = loadConfig(identityConfig, base, { service: 'identity' });
    expect(effectivePolicies(config)).toEqual({
      '*': { subaddress: '+' }, 'gmail.com': { subaddress: '+', dotInsensitive: true }, 'googlemail.com': { aliasOf: 'gmail.com' },
    });
  });

  test('When a file and an inline value are given, then inline wins over the file and the file over the defaults, with Unicode domains in ASCII', () => {
    // Arrange
    const file = join(mkdtempSync(join(tmpdir(), 'policy-')), 'policies.json');
    writeFileSync(file, JSON.stringify({ 'contoso.onmicrosoft.com': { aliasOf: 'contoso.com' }, 'gmail.com': { subaddress: '' } }));
    // Act
    const config = loadConfig(identityConfig, {
      ...base, ADDRESS_POLICIES_FILE: file, ADDRESS_POLICIES: JSON.stringify({ 'gmail.com': { dotInsensitive: true }, 'bücher.example': { subaddress: '-' } }),
    }, { service: 'identity' });
    // Assert
    const policies = effectivePolicies(config);
    expect(policies['contoso.onmicrosoft.com']).toEqual({ aliasOf: 'contoso.com' });
    expect(policies['gmail.com']).toEqual({ dotInsensitive: true });
    expect(policies['xn--bcher-kva.example']).toEqual({ subaddress: '-' });
  });

  test.each([
    ['{not json', /ADDRESS_POLICIES.*not JSON/],
    ['{"contoso.com": {"dots": true}}', /ADDRESS_POLICIES/],
    ['{"a.example": {"aliasOf": "b.example"}, "b.example": {"aliasOf": "a.example"}}', /loop/],
  ])('When ADDRESS_POLICIES is %s, then boot stops naming the variable', (value, message) => {
    expect(() => loadConfig(identityConfig, { ...base, ADDRESS_POLICIES: value }, { service: 'identity' }))
      .toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(message) }));
  });

  test('When the policy file does not exist, then boot stops naming the variable and the path', () => {
    expect(() => loadConfig(identityConfig, { ...base, ADDRESS_POLICIES_FILE: '/nonexistent/policies.json' }, { service: 'identity' }))
      .toThrow(/ADDRESS_POLICIES_FILE.*cannot read \/nonexistent\/policies.json/);
  });
});
