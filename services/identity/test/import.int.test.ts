import { AppError } from '@inviteflow/runtime';
import type { ImportRowInput } from '../src/domain/import.service';
import { identityFixture, IdentityFixture, john } from './identity.fixture';

const never = (): undefined => undefined;

describe('bulk import', () => {
  let f: IdentityFixture;

  beforeEach(async () => {
    f = await identityFixture();
  });

  afterEach(async () => {
    await f.close();
  });

  const rows: ImportRowInput[] = [
    { ref: 'associates[0]', associate: john },
    { ref: 'associates[1]', associate: { ...john, name: 'Impostor', primaryAddress: 'imp@contoso.com', aliases: ['john@contoso.com'] } },
    { ref: 'associates[2]', associate: { ...john, name: 'Broken', primaryAddress: 'not an address' } },
    { ref: 'persons[0]', person: { name: 'Marge', company: 'Bakery', addresses: ['marge@example.org'] } },
    { ref: 'persons[1]', person: { name: 'Bad', company: '', addresses: ['ok@example.org', '@example.org'] } },
    { ref: 'rows[5]' },
  ];

  test('When a file with good and bad rows is imported twice, then each row is reported with its field and the second run changes nothing', async () => {
    // Act
    const first = await f.service.imports.importRows(rows, never);
    const second = await f.service.imports.importRows(rows, never);
    // Assert
    expect(first.complete).toBe(true);
    expect(first.results.map((r) => [r.ref, r.outcome, r.reason, r.field])).toEqual([
      ['associates[0]', 'CREATED', '', ''],
      ['associates[1]', 'REFUSED', 'ADDRESS_TAKEN', 'aliases[0]'],
      ['associates[2]', 'REFUSED', 'INVALID_ADDRESS', 'primary_address'],
      ['persons[0]', 'CREATED', '', ''],
      ['persons[1]', 'REFUSED', 'INVALID_ADDRESS', 'addresses[1]'],
      ['rows[5]', 'REFUSED', 'INVALID_ARGUMENT', 'entry'],
    ]);
    expect(second.results.map((r) => r.outcome)).toEqual(['UNCHANGED', 'REFUSED', 'REFUSED', 'UNCHANGED', 'REFUSED', 'REFUSED']);
    expect(f.changes).toHaveLength(2);
  });

  test('When the deadline comes half-way, then the rows not reached are NOT_ATTEMPTED and the import says it is incomplete', async () => {
    // Arrange: the caller's deadline passes after two rows
    let asked = 0;
    const stopAfterTwo = (): string | undefined => (++asked > 2 ? 'DEADLINE_EXCEEDED' : undefined);
    // Act
    const run = await f.service.imports.importRows(rows, stopAfterTwo);
    // Assert
    expect(run.complete).toBe(false);
    expect(run.results.map((r) => r.outcome)).toEqual(['CREATED', 'REFUSED', 'NOT_ATTEMPTED', 'NOT_ATTEMPTED', 'NOT_ATTEMPTED', 'NOT_ATTEMPTED']);
    expect(run.results[2]).toMatchObject({ reason: 'DEADLINE_EXCEEDED', message: expect.stringMatching(/importing again is safe/) });
  });

  test('When the database stops answering during a row, then that row is FAILED, the rest NOT_ATTEMPTED, and nothing after it is written', async () => {
    // Arrange: the database stops answering person writes after the first row
    jest.spyOn(f.dir.persons, 'insert').mockRejectedValue(new AppError({ code: 'MONGO_UNAVAILABLE', message: 'MongoDB unavailable: connection refused', retryable: true }));
    // Act
    const run = await f.service.imports.importRows([rows[0]!, rows[3]!, rows[1]!], never);
    // Assert
    expect(run.complete).toBe(false);
    expect(run.results.map((r) => [r.ref, r.outcome, r.reason])).toEqual([
      ['associates[0]', 'CREATED', ''], ['persons[0]', 'FAILED', 'MONGO_UNAVAILABLE'], ['associates[1]', 'NOT_ATTEMPTED', 'MONGO_UNAVAILABLE'],
    ]);
    expect(run.results[1]!.message).toMatch(/importing again completes it/);
    expect(run.results[2]!.message).toMatch(/stopped at persons\[0\]/);
  });
});
