import type { RunningService } from '@inviteflow/platform';
import { identityV1 } from '@inviteflow/proto-gen';
import { callUnary, clientChannelOptions, clientCredentials } from '@inviteflow/rpc';
import { startInProcess, testGrpcSecurity } from '@inviteflow/testing';
import { identityConfig } from '../src/config';
import type { ImportRowInput } from '../src/domain/import.service';
import { start } from '../src/start';
import { identityFixture, IdentityFixture } from './identity.fixture';

// Issue 8, finding 7: `directory import` let one row take another associate's address without
// a word. Each conflict must be refused naming the holder, the rest applied, and the report
// must say what an import removes or keeps.

const never = (): undefined => undefined;
const homer = { name: 'Homer Simpson', primaryAddress: 'homer@example.org', aliases: ['h.simpson@example.org'], timeZone: 'UTC', locale: '', group: '' };
const associate = (name: string, primaryAddress: string, aliases: string[] = []) => ({ ...homer, name, primaryAddress, aliases });
const row = (ref: string, a: ReturnType<typeof associate>): ImportRowInput => ({ ref, associate: a });

describe('directory import: rows that conflict with another associate', () => {
  let f: IdentityFixture;

  beforeEach(async () => {
    f = await identityFixture();
  });

  afterEach(async () => {
    await f.close();
  });

  async function homerNow() {
    return f.service.resolver.associateOf('homer@example.org');
  }

  test('When two rows of one file give the same primary address, then the second is refused naming the first and the rest is applied', async () => {
    // Act
    const run = await f.service.imports.importRows([
      row('associates[0]', homer),
      row('associates[1]', associate('Marge Simpson', 'homer@example.org')),
      row('associates[2]', associate('Bart Simpson', 'bart@example.org')),
    ], never);
    // Assert
    expect(run.results.map((r) => [r.ref, r.outcome, r.reason, r.field])).toEqual([
      ['associates[0]', 'CREATED', '', ''],
      ['associates[1]', 'REFUSED', 'ADDRESS_TAKEN', 'primary_address'],
      ['associates[2]', 'CREATED', '', ''],
    ]);
    expect(run.results[1]!.message).toContain(`${run.results[0]!.id} (Homer Simpson <homer@example.org>)`);
    expect((await homerNow()).name).toBe('Homer Simpson');
  });

  test('When a new associate lists Homer\'s alias as its own, then the row is refused naming Homer and the alias stays his', async () => {
    // Arrange
    await f.service.imports.importRows([row('associates[0]', homer)], never);
    // Act: the alias as a primary address, and as an alias
    const run = await f.service.imports.importRows([
      row('associates[0]', associate('Maggie Simpson', 'h.simpson@example.org')),
      row('associates[1]', associate('Lisa Simpson', 'lisa@example.org', ['h.simpson@example.org'])),
    ], never);
    // Assert
    expect(run.results.map((r) => [r.outcome, r.reason, r.field])).toEqual([
      ['REFUSED', 'ADDRESS_TAKEN', 'primary_address'],
      ['REFUSED', 'ADDRESS_TAKEN', 'aliases[0]'],
    ]);
    for (const r of run.results) expect(r.message).toMatch(/Homer Simpson <homer@example\.org>\) as its alias/);
    expect(await homerNow()).toMatchObject({ name: 'Homer Simpson', primaryAddress: 'homer@example.org', aliases: ['h.simpson@example.org'] });
    expect((await f.service.resolve(['lisa@example.org']))[0]!.kind).toBe('unknown');
  });

  test('When a row without id repeats Homer\'s address under another name, then it is refused naming Homer instead of renaming him', async () => {
    // Arrange
    const [first] = (await f.service.imports.importRows([row('associates[0]', homer)], never)).results;
    // Act
    const run = await f.service.imports.importRows([row('associates[0]', associate('Homer J. Simpson', 'homer@example.org'))], never);
    const byId = await f.service.imports.importRows([{ ref: 'associates[0]', associate: { ...homer, id: first!.id, name: 'Homer J. Simpson' } }], never);
    // Assert: refused without the id; with it, the rename is what the row asks for
    expect(run.results[0]).toMatchObject({ outcome: 'REFUSED', reason: 'ADDRESS_TAKEN', field: 'primary_address' });
    expect(run.results[0]!.message).toContain(`${first!.id} (Homer Simpson <homer@example.org>) as its primary address`);
    expect(byId.results[0]).toMatchObject({ outcome: 'UPDATED', id: first!.id });
    expect((await homerNow()).name).toBe('Homer J. Simpson');
  });

  test('When the import says --move-addresses, then an alias moves and the row says from whom, but a primary address never moves', async () => {
    // Arrange
    const [first] = (await f.service.imports.importRows([row('associates[0]', homer)], never)).results;
    // Act
    const run = await f.service.imports.importRows([
      row('associates[0]', associate('Lisa Simpson', 'lisa@example.org', ['h.simpson@example.org'])),
      row('associates[1]', associate('Marge Simpson', 'homer@example.org')),
    ], never, { moveAddresses: true });
    // Assert
    expect(run.results[0]).toMatchObject({ outcome: 'CREATED', movedAddresses: ['h.simpson@example.org'] });
    expect(run.results[0]!.message).toContain(`moved h.simpson@example.org from Homer Simpson (${first!.id})`);
    expect(run.results[1]).toMatchObject({ outcome: 'REFUSED', reason: 'ADDRESS_TAKEN', field: 'primary_address' });
    expect(run.results[1]!.message).toMatch(/a primary address is never moved/);
    expect((await homerNow()).aliases).toEqual([]);
    const [moved] = await f.service.resolve(['h.simpson@example.org']);
    expect(moved).toMatchObject({ kind: 'associate', associate: { name: 'Lisa Simpson' } });
  });

  test('When a re-import leaves out an alias added with alias add, then it is kept and reported; with --replace-aliases it is removed and reported', async () => {
    // Arrange
    const plain = associate('Homer Simpson', 'homer@example.org');
    await f.service.imports.importRows([row('associates[0]', plain)], never);
    await f.service.associates.addAlias('homer@example.org', 'chief@example.org');
    // Act
    const again = await f.service.imports.importRows([row('associates[0]', plain)], never);
    const afterKeep = await homerNow();
    const replaced = await f.service.imports.importRows([row('associates[0]', plain)], never, { replaceAliases: true });
    // Assert
    expect(again.results[0]).toMatchObject({ outcome: 'UNCHANGED', keptAddresses: ['chief@example.org'], removedAddresses: [] });
    expect(afterKeep.aliases).toEqual(['chief@example.org']);
    expect(replaced.results[0]).toMatchObject({ outcome: 'UPDATED', removedAddresses: ['chief@example.org'], keptAddresses: [] });
    expect(replaced.results[0]!.message).toBe('removed chief@example.org');
    expect((await homerNow()).aliases).toEqual([]);
  });
});

describe('directory import over gRPC: the flags and what the report says', () => {
  let service: RunningService;
  let client: identityV1.IdentityServiceClient;

  beforeAll(async () => {
    service = await startInProcess({ service: 'identity', schema: identityConfig, start });
    const cli = testGrpcSecurity().client('cli');
    client = new identityV1.IdentityServiceClient(`127.0.0.1:${service.ports['grpc']!}`, clientCredentials(cli), clientChannelOptions(`127.0.0.1:${service.ports['grpc']!}`, cli));
  });

  afterAll(async () => {
    client.close();
    await service.stop();
  });

  const importRows = (rows: Array<ReturnType<typeof associate>>, flags: { moveAddresses?: boolean; replaceAliases?: boolean } = {}) =>
    callUnary<identityV1.ImportDirectoryResponse>((md, o, cb) => client.importDirectory(identityV1.ImportDirectoryRequest.fromPartial({
      rows: rows.map((a, i) => ({ ref: `associates[${i}]`, associate: identityV1.Associate.fromPartial(a) })), ...flags,
    }), md, o, cb), 10_000);

  test('When move_addresses and replace_aliases are sent, then rows move and drop aliases and the results list them', async () => {
    // Arrange: Homer holds h.simpson@
    await importRows([homer]);
    // Act: refused without the flag, moved with it; then Homer's row replaces his list
    const refused = await importRows([associate('Lisa Simpson', 'lisa@example.org', ['h.simpson@example.org'])]);
    const moved = await importRows([associate('Lisa Simpson', 'lisa@example.org', ['h.simpson@example.org'])], { moveAddresses: true });
    const replaced = await importRows([associate('Lisa Simpson', 'lisa@example.org')], { replaceAliases: true });
    // Assert
    expect(refused.results[0]).toMatchObject({ outcome: identityV1.ImportOutcome.IMPORT_OUTCOME_REFUSED, reason: 'ADDRESS_TAKEN', field: 'aliases[0]' });
    expect(moved.results[0]).toMatchObject({ outcome: identityV1.ImportOutcome.IMPORT_OUTCOME_CREATED, movedAddresses: ['h.simpson@example.org'] });
    expect(replaced.results[0]).toMatchObject({ outcome: identityV1.ImportOutcome.IMPORT_OUTCOME_UPDATED, removedAddresses: ['h.simpson@example.org'] });
  });
});
