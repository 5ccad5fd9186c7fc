import { checkDirectoryFile } from './directory-file';

describe('checkDirectoryFile', () => {
  test('When rows are well-formed, then each becomes an import row named after its place in the file', () => {
    const rows = checkDirectoryFile({
      associates: [{ name: 'Ann', primaryAddress: 'ann@example.org', aliases: ['a@example.org'], timeZone: 'Europe/Oslo' }],
      persons: [{ name: 'Desk', addresses: ['desk@bakery.example'] }, { name: 'Nameless address-less' }],
    });
    expect(rows.map((r) => [r.ref, r.kind, r.key, !!r.row])).toEqual([
      ['associates[0]', 'associate', 'ann@example.org', true],
      ['persons[0]', 'person', 'desk@bakery.example', true],
      ['persons[1]', 'person', 'Nameless address-less', true],
    ]);
    expect(rows[0]!.row!.associate).toMatchObject({ aliases: ['a@example.org'], timeZone: 'Europe/Oslo', locale: '' });
  });

  test.each([
    ['primaryAdress', { associates: [{ name: 'T', primaryAdress: 'x@example.org' }] }, /unknown field/],
    ['aliases', { associates: [{ name: 'T', primaryAddress: 'x@example.org', aliases: 'y@example.org' }] }, /array/],
    ['aliases[1]', { associates: [{ name: 'T', primaryAddress: 'x@example.org', aliases: ['ok@example.org', 7] }] }, /string/],
    ['name', { associates: [{ primaryAddress: 'x@example.org' }] }, /string/],
    ['row', { persons: ['just a string'] }, /object/],
  ])('When a row is malformed, then it alone is refused naming the field %s', (field, doc, message) => {
    const [row] = checkDirectoryFile(doc);
    expect(row!.row).toBeUndefined();
    expect(row!.problem).toEqual({ field, message: expect.stringMatching(message) });
  });

  test.each([[[]], [{ people: [] }], [{ associates: {} }], [null]])('When the file is not a directory (%j), then it is refused as a whole', (doc) => {
    expect(() => checkDirectoryFile(doc)).toThrow();
  });
});
