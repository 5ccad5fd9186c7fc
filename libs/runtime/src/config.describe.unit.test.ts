import { z } from 'zod';
import { commonConfig, mongoConfig, natsConfig } from './common.config';
import { REDACTED, describeConfig, printConfigIfAsked, redactConfig, renderConfigTable } from './config.describe';
import { loadConfig } from './config.loader';
import { defineConfig, envVar } from './config.schema';

const schema = defineConfig({
  ...commonConfig,
  ...natsConfig,
  ...mongoConfig,
  smtpPassword: envVar('SMTP_PASSWORD', z.string().min(1), { doc: 'SMTP password.', secret: true }),
  replyTo: envVar('REPLY_TO', z.email().optional(), { doc: 'Optional reply address.' }),
});

const env = {
  NATS_URL: 'nats://127.0.0.1:4222',
  MONGO_URL: 'mongodb://user:hunter2@db:27017/inviteflow',
  SMTP_PASSWORD: 'correct-horse',
};

function printed(flag: string | undefined): { output: string; exitCodes: number[]; printedAnything: boolean } {
  const config = loadConfig(schema, env, { service: 'outbound-mail' });
  let output = '';
  const exitCodes: number[] = [];
  const printedAnything = printConfigIfAsked(config, schema, {
    env: { PRINT_CONFIG: flag },
    write: (text) => {
      output += text;
    },
    exit: (code) => void exitCodes.push(code),
  });
  return { output, exitCodes, printedAnything };
}

describe('PRINT_CONFIG', () => {
  test('When PRINT_CONFIG=1, then the resolved config is printed by variable name with secrets redacted, and it exits 0', () => {
    const { output, exitCodes } = printed('1');

    const parsed = JSON.parse(output) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      LOG_LEVEL: 'info',
      HEALTH_PORT: 9464,
      NATS_URL: ['nats://127.0.0.1:4222'],
      MONGO_URL: REDACTED,
      SMTP_PASSWORD: REDACTED,
    });
    expect(output).not.toContain('hunter2');
    expect(output).not.toContain('correct-horse');
    expect(exitCodes).toEqual([0]);
  });

  test('When PRINT_CONFIG is unset or 0, then nothing is printed and the process continues', () => {
    for (const flag of [undefined, '0', '']) {
      const { output, exitCodes, printedAnything } = printed(flag);

      expect([output, exitCodes, printedAnything]).toEqual(['', [], false]);
    }
  });

  test('When an optional secret is unset, then it prints as absent rather than as redacted', () => {
    const optionalSecret = defineConfig({ token: envVar('API_TOKEN', z.string().optional(), { doc: 'x', secret: true }) });

    const redacted = redactConfig(loadConfig(optionalSecret, {}, { service: 's' }), optionalSecret);

    expect(redacted).toEqual({ API_TOKEN: undefined });
  });

  test('When a non-secret URL carries a password in its user info, then only the password is redacted', () => {
    const urls = defineConfig({
      nats: envVar('NATS_URLS', z.string().transform((v) => v.split(',')), { doc: 'x' }),
      relay: envVar('RELAY_URL', z.string(), { doc: 'x' }),
    });

    const redacted = redactConfig(loadConfig(urls, { NATS_URLS: 'nats://svc:s3cret@a:4222,nats://b:4222', RELAY_URL: 'smtp://relay.example:25' }, { service: 's' }), urls);

    expect(redacted).toEqual({ NATS_URLS: [`nats://svc:${REDACTED}@a:4222`, 'nats://b:4222'], RELAY_URL: 'smtp://relay.example:25' });
  });
});

describe('describeConfig', () => {
  test('When describing the shared fragments, then each row carries env, default, required and doc', () => {
    const rows = describeConfig(schema);

    expect(rows.find((row) => row.env === 'HEALTH_HOST')).toEqual({
      key: 'healthHost',
      env: 'HEALTH_HOST',
      default: '127.0.0.1',
      required: false,
      secret: false,
      doc: expect.stringContaining('health server binds'),
    });
    expect(rows.find((row) => row.env === 'MONGO_URL')).toMatchObject({ default: undefined, required: true, secret: true });
    expect(rows.find((row) => row.env === 'REPLY_TO')).toMatchObject({ default: undefined, required: false });
    expect(rows.find((row) => row.env === 'SHUTDOWN_TIMEOUT_MS')).toMatchObject({ default: '10000' });
  });

  test('When rendering a table, then required, optional and defaulted variables read differently', () => {
    const table = renderConfigTable(schema);

    expect(table).toContain('| `LOG_LEVEL` | `info` | no |');
    expect(table).toContain('| `MONGO_URL` | (required) | yes |');
    expect(table).toContain('| `REPLY_TO` | (unset) | no |');
  });
});
