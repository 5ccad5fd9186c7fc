import { validateIndexSpecs, type IndexSpec } from './mongo.indexes';

describe('validateIndexSpecs', () => {
  test('When every declaration is distinct, then validation passes', () => {
    const specs: IndexSpec[] = [
      { collection: 'meetings', key: { uid: 1 }, name: 'uid_unique', unique: true },
      { collection: 'diaries', key: { uid: 1 }, name: 'uid_unique', unique: true },
      { collection: 'meetings', key: { uid: 1, start: -1 }, name: 'uid_start' },
    ];

    expect(() => validateIndexSpecs(specs)).not.toThrow();
  });

  test.each<[string, IndexSpec[], RegExp]>([
    [
      'a name used twice in one collection',
      [
        { collection: 'meetings', key: { uid: 1 }, name: 'same' },
        { collection: 'meetings', key: { start: 1 }, name: 'same' },
      ],
      /meetings\.same: name declared twice/,
    ],
    [
      'a key declared twice in one collection',
      [
        { collection: 'meetings', key: { uid: 1 }, name: 'a' },
        { collection: 'meetings', key: { uid: 1 }, name: 'b' },
      ],
      /meetings\.b: same key as a/,
    ],
    ['an empty key', [{ collection: 'meetings', key: {}, name: 'empty' }], /empty key/],
    ['the server-owned _id_ name', [{ collection: 'meetings', key: { _id: 1 }, name: '_id_' }], /_id_ is created by the server/],
  ])('When the declarations contain %s, then validation refuses them before any I/O', (_label, specs, message) => {
    const thrown = (() => {
      try {
        validateIndexSpecs(specs);
        return undefined;
      } catch (err) {
        return err;
      }
    })();
    expect(thrown).toMatchObject({ code: 'MONGO_FAILURE', retryable: false, message: expect.stringMatching(message) });
  });
});
