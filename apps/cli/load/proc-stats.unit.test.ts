import { cpuShare } from './proc-stats';

describe('cpuShare', () => {
  test('Given two readings of the machine counters, then busy is the non-idle share and steal the stolen share of the time between them', () => {
    // Arrange: 1 000 ticks passed, 400 of them idle (iowait included), 30 stolen
    const before = { total: 10_000, idle: 6_000, steal: 100 };
    const after = { total: 11_000, idle: 6_400, steal: 130 };

    // Act
    const share = cpuShare(before, after);

    // Assert
    expect(share).toEqual({ busyPercent: 60, stealPercent: 3 });
  });

  test('When a reading is missing or no time passed, then there is no share to give', () => {
    const reading = { total: 10_000, idle: 6_000, steal: 100 };
    expect(cpuShare(undefined, reading)).toBeNull();
    expect(cpuShare(reading, undefined)).toBeNull();
    expect(cpuShare(reading, reading)).toBeNull();
  });
});
