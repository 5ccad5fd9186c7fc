import { normaliseAddress, tryNormaliseAddress } from './address.normalise';

describe('normaliseAddress', () => {
  test.each([
    ['John.Doe@Example.COM', 'john.doe@example.com'],
    ['  mailto:john@example.com ', 'john@example.com'],
    ['MAILTO:john@example.com', 'john@example.com'],
    ['mailto:mailto:john@example.com', 'john@example.com'],
    ['<john@example.com>', 'john@example.com'],
    ['anna@bücher.example', 'anna@xn--bcher-kva.example'],
    ['anna@xn--bcher-kva.example', 'anna@xn--bcher-kva.example'],
  ])('When %j is normalised, then it becomes %j', (input, expected) => {
    expect(normaliseAddress(input)).toBe(expected);
  });

  test.each(['', 'john', '@example.com', 'john@', 'jo hn@example.com', 'john@localhost'])(
    'When %j is normalised, then it is refused as INVALID_ADDRESS',
    (input) => {
      expect(() => normaliseAddress(input)).toThrow(expect.objectContaining({ code: 'INVALID_ADDRESS' }));
      expect(tryNormaliseAddress(input)).toBeUndefined();
    },
  );
});
