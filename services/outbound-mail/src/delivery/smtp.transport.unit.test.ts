import { poolOptions, relayConfigured, relayLabel, type RelaySettings } from './smtp.transport';

const BASE: RelaySettings = {
  smtpRelayPort: 587, smtpRelaySecure: false, smtpRelayRequireTls: false, smtpRelayTlsRejectUnauthorized: true,
  smtpPoolSize: 5, smtpPoolMaxMessages: 100, smtpTimeoutMs: 30_000,
};

describe('the relay settings', () => {
  test('When neither SMTP_RELAY_URL nor SMTP_RELAY_HOST is set, then delivery is off', () => {
    expect(relayConfigured(BASE)).toBe(false);
    expect(relayConfigured({ ...BASE, smtpRelayHost: 'relay.example' })).toBe(true);
  });

  test('When SMTP_RELAY_URL is smtps:// with credentials, then TLS from the start on 465 with AUTH, pooled', () => {
    expect(poolOptions({ ...BASE, smtpRelayUrl: 'smtps://bot%40corp:p%3Ass@relay.example' })).toMatchObject({
      pool: true, host: 'relay.example', port: 465, secure: true, auth: { user: 'bot@corp', pass: 'p:ss' }, maxConnections: 5, maxMessages: 100,
    });
  });

  test('When the relay is given by host variables with STARTTLS required, then plain on 587 upgraded by STARTTLS, no AUTH without a user', () => {
    const o = poolOptions({ ...BASE, smtpRelayHost: 'relay.example', smtpRelayRequireTls: true });
    expect(o).toMatchObject({ host: 'relay.example', port: 587, secure: false, requireTLS: true, tls: { rejectUnauthorized: true } });
    expect(o.auth).toBeUndefined();
  });

  test('When the relay is named in a log line, then neither user nor password appears', () => {
    const label = relayLabel({ ...BASE, smtpRelayUrl: 'smtp://bot:hunter2-secret@relay.example:2525' });
    expect(label).toBe('smtp://relay.example:2525 (AUTH)');
    expect(label).not.toContain('hunter2');
    expect(label).not.toContain('bot');
  });
});
