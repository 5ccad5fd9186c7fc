import { resolveWorkerCount } from './parse-pool';

describe('PARSER_WORKERS', () => {
  test.each([
    [1, 1],
    [2, 1],
    [3, 2],
    [16, 2],
  ])('When it is auto on %i CPUs, then the pool has %i workers', (cpus, workers) => {
    expect(resolveWorkerCount('auto', cpus)).toBe(workers);
  });

  test('When it is a number, then that number is used whatever the CPUs', () => {
    expect(resolveWorkerCount(3, 2)).toBe(3);
  });
});
