import { findWorkspaceRoot } from '@inviteflow/infra';
import { exampleMailUsers, LOCAL_MAIL_PASSWORD } from './cluster-mail';
import { EPHEMERAL_PORTS, serviceEnv } from './service-catalog';

const settings = { natsUrl: 'nats://n', mongoUrl: 'mongodb://m', dbPrefix: 'p_', ports: EPHEMERAL_PORTS, acceptDomains: ['example.org'], logLevel: 'info' };

describe('the local cluster\'s mail server', () => {
  test('Given the example directory, when mailboxes are listed, then every associate and person address has one, once', () => {
    const users = exampleMailUsers(findWorkspaceRoot(__dirname));
    const emails = users.map((u) => u.email);
    expect(emails).toEqual(expect.arrayContaining(['homer@example.org', 'lisa@example.org', 'marge@example.org', 'info@bakery.example.com']));
    expect(new Set(emails).size).toBe(emails.length);
    expect(users.every((u) => u.password === LOCAL_MAIL_PASSWORD)).toBe(true);
  });

  test('Given a mail relay, when outbound-mail\'s environment is built, then SMTP_RELAY_HOST and SMTP_RELAY_PORT point at it', () => {
    const env = serviceEnv('outbound-mail', { ...settings, mailRelay: { host: '127.0.0.1', port: 3025 } }, {});
    expect(env).toMatchObject({ SMTP_RELAY_HOST: '127.0.0.1', SMTP_RELAY_PORT: '3025' });
  });

  test('Given no mail relay, when outbound-mail\'s environment is built, then no relay is set (delivery stays off)', () => {
    const env = serviceEnv('outbound-mail', settings, {});
    expect(env).not.toHaveProperty('SMTP_RELAY_HOST');
    expect(env).not.toHaveProperty('SMTP_RELAY_URL');
  });
});
