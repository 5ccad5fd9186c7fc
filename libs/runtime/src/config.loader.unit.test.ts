import { z } from 'zod';
import { type CommonConfig, type LogLevel, commonConfig, mongoConfig, natsConfig } from './common.config';
import { ConfigError } from './config.error';
import { loadConfig } from './config.loader';
import { defineConfig, envVar } from './config.schema';

const service = 'parser';

const schema = defineConfig({
  ...commonConfig,
  ...natsConfig,
  ...mongoConfig,
  batchSize: envVar('BATCH_SIZE', z.coerce.number().int().positive(), { default: 10, doc: 'Batch size.' }),
  dryRun: envVar('DRY_RUN', z.stringbool(), { default: false, doc: 'Do not send.' }),
  replyTo: envVar('REPLY_TO', z.email().optional(), { doc: 'Optional reply address.' }),
});

const validEnv = { NATS_URL: 'nats://127.0.0.1:4222', MONGO_URL: 'mongodb://user:hunter2@db:27017/inviteflow' };

function configErrorFrom(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  test('When only the required variables are set, then every other key takes its default', () => {
    const config = loadConfig(schema, validEnv, { service });

    expect(config).toEqual({
      logLevel: 'info',
      healthHost: '127.0.0.1',
      healthPort: 9464,
      shutdownTimeoutMs: 10_000,
      natsStreamReplicas: 1,
      natsUrl: ['nats://127.0.0.1:4222'],
      // NATS credentials: on by default, the seed file and TLS files unset.
      natsAuth: 'nkey',
      natsNkeySeedFile: undefined,
      natsTlsCaFile: undefined,
      natsTlsCertFile: undefined,
      natsTlsKeyFile: undefined,
      mongoUrl: validEnv.MONGO_URL,
      batchSize: 10,
      dryRun: false,
      replyTo: undefined,
    });
    expect(Object.isFrozen(config)).toBe(true);
    // Compile-time: the resolved object carries the schemas' output types.
    const typed: { healthPort: number; logLevel: LogLevel; natsUrl: string[]; replyTo: string | undefined } = config;
    const common: CommonConfig = config;
    expect([typed.healthPort, common.shutdownTimeoutMs]).toEqual([9464, 10_000]);
  });

  test('When values are strings from the environment, then they are coerced to the schema types', () => {
    const env = { ...validEnv, HEALTH_PORT: '0', BATCH_SIZE: '25', DRY_RUN: 'yes', NATS_URL: 'nats://a:4222, tls://b:4222' };

    const config = loadConfig(schema, env, { service });

    expect(config.healthPort).toBe(0);
    expect(config.batchSize).toBe(25);
    expect(config.dryRun).toBe(true);
    expect(config.natsUrl).toEqual(['nats://a:4222', 'tls://b:4222']);
  });

  test('When a variable is set to an empty string, then it counts as unset and the default applies', () => {
    const config = loadConfig(schema, { ...validEnv, LOG_LEVEL: '', HEALTH_PORT: '  ' }, { service });

    expect(config.logLevel).toBe('info');
    expect(config.healthPort).toBe(9464);
  });

  test('When a value is invalid, then the error names the variable, the value and what was expected', () => {
    const error = configErrorFrom(() => loadConfig(schema, { ...validEnv, HEALTH_PORT: 'abc' }, { service }));

    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('parser');
    expect(error.message).toContain('HEALTH_PORT="abc" is invalid, expected an integer port 0-65535');
    expect(error.problems).toEqual([
      expect.objectContaining({ env: 'HEALTH_PORT', reason: 'invalid', value: '"abc"' }),
    ]);
  });

  test('When a number is out of range, then zod\'s bound appears in the expectation', () => {
    const error = configErrorFrom(() => loadConfig(schema, { ...validEnv, HEALTH_PORT: '70000' }, { service }));

    expect(error.message).toMatch(/HEALTH_PORT="70000" is invalid, expected .*<=65535/);
  });

  test('When an enum value is wrong, then the allowed values are listed', () => {
    const error = configErrorFrom(() => loadConfig(schema, { ...validEnv, LOG_LEVEL: 'verbose' }, { service }));

    expect(error.message).toContain('LOG_LEVEL="verbose" is invalid, expected fatal|error|warn|info|debug|trace|silent');
  });

  test('When required variables are missing, then every one of them is reported at once', () => {
    const error = configErrorFrom(() => loadConfig(schema, { BATCH_SIZE: '-1' }, { service }));

    expect(error.problems.map((p) => [p.env, p.reason])).toEqual([
      ['NATS_URL', 'missing'],
      ['MONGO_URL', 'missing'],
      ['BATCH_SIZE', 'invalid'],
    ]);
    expect(error.message).toContain('NATS_URL is not set, expected nats:// URL(s), comma-separated');
  });

  test('When a secret is invalid, then its value appears neither in the message nor in the problems', () => {
    const error = configErrorFrom(() => loadConfig(schema, { ...validEnv, MONGO_URL: 'postgres://u:s3cret@h/db' }, { service }));

    expect(error.message).toContain('MONGO_URL (secret, value hidden) is invalid');
    expect(error.message).not.toContain('s3cret');
    expect(JSON.stringify(error.problems)).not.toContain('s3cret');
    expect(JSON.stringify(error.details)).not.toContain('s3cret');
  });

  test('When a NATS URL has the wrong scheme, then the variable is named', () => {
    const error = configErrorFrom(() => loadConfig(schema, { ...validEnv, NATS_URL: 'http://a:4222' }, { service }));

    expect(error.problems[0]).toMatchObject({ env: 'NATS_URL', value: '"http://a:4222"' });
  });

  test('When a huge value is invalid, then the message shows only its beginning', () => {
    const error = configErrorFrom(() => loadConfig(schema, { ...validEnv, BATCH_SIZE: 'x'.repeat(500) }, { service }));

    expect(error.problems[0]!.value!.length).toBeLessThan(100);
  });
});

describe('defineConfig and envVar', () => {
  test('When two keys read the same variable, then the schema is rejected', () => {
    const port = envVar('PORT', z.coerce.number(), { doc: 'x' });

    expect(() => defineConfig({ a: port, b: port })).toThrow(/PORT is declared twice/);
  });

  test('When a variable name is not UPPER_SNAKE, then envVar rejects it', () => {
    expect(() => envVar('healthPort', z.string(), { doc: 'x' })).toThrow(/UPPER_SNAKE/);
  });
});
