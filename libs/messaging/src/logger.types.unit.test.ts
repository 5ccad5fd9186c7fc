import pino from 'pino';
import type { Logger } from './logger.types';

describe('Logger', () => {
  test('A pino logger satisfies the Logger interface without an adapter', () => {
    const log: Logger = pino({ level: 'silent' });
    expect(() => log.error({ code: 'X' }, 'typed')).not.toThrow();
  });
});
