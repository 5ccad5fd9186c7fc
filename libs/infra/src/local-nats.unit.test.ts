import { localNatsGoEnv } from './local-nats';

describe('localNatsGoEnv', () => {
  test('When the environment sets no Go runtime settings, then the local nats-server gets one P and GOGC 400', () => {
    // Act
    const env = localNatsGoEnv({ PATH: '/usr/bin' });

    // Assert
    expect(env).toEqual({ PATH: '/usr/bin', GOMAXPROCS: '1', GOGC: '400' });
  });

  test('When the environment sets GOMAXPROCS or GOGC, then its values win', () => {
    // Act
    const env = localNatsGoEnv({ GOMAXPROCS: '2', GOGC: 'off', GOMEMLIMIT: '256MiB' });

    // Assert
    expect(env).toEqual({ GOMAXPROCS: '2', GOGC: 'off', GOMEMLIMIT: '256MiB' });
  });
});
