import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImipMessage } from '@inviteflow/testing';
import { cli, cliJson, useCliCluster } from './cli.runner';
import { eventually, listDiary } from './cluster.harness';

interface Resolved { results: Array<{ address: string; kind: string; matchedBy: string; matchedAddress?: string; policies?: string[]; associate?: { id: string } }> }
interface ImportJson { counts: Record<string, number>; complete: boolean; rows: Array<{ row: string; outcome: string; field?: string; code?: string; reason?: string }> }

function file(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'identity-cli-')), 'directory.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

// Each test runs several CLI processes (Node start, TLS gRPC, a NATS login each): ~30 s on a
// busy 2-core machine, so every test here gets 90 s.
jest.setTimeout(90_000);

describe('the identity commands of the CLI against a running cluster', () => {
  const fx = useCliCluster(['example.org']);

  test('When people are added, listed and shown, then each command says what it did, in words and in JSON', async () => {
    // Act
    const added = await cli(['people', 'add', 'Ada Lovelace', 'Ada@Example.org', '--alias', 'countess@example.org', '--time-zone', 'Europe/London', '--locale', 'en-gb', '--group', 'R&D'], fx.env);
    const again = await cliJson<{ outcome: string; associate: { id: string } }>(['people', 'add', 'Ada Lovelace', 'ada@example.org', '--alias', 'countess@example.org', '--time-zone', 'Europe/London', '--locale', 'en-GB', '--group', 'R&D'], fx.env);
    const person = await cliJson<{ person: { id: string } }>(['people', 'add', '--person', 'Charles Babbage', 'charles@engine.example', '--company', 'Analytical Engines'], fx.env);
    const list = await cli(['people', 'list'], fx.env);
    const shown = await cli(['people', 'show', 'countess@example.org'], fx.env);
    const byId = await cliJson<{ person: { name: string } }>(['people', 'show', person.body.person.id], fx.env);
    // Assert
    expect(added).toMatchObject({ code: 0, stdout: expect.stringMatching(/^created associate Ada Lovelace <ada@example.org>/) });
    expect(again).toMatchObject({ code: 0, body: { outcome: 'UNCHANGED' } });
    expect(list.stdout).toMatch(/associate\s+Ada Lovelace\s+ada@example.org, countess@example.org\s+R&D\s+Europe\/London/);
    expect(list.stdout).toMatch(/person\s+Charles Babbage\s+charles@engine.example\s+Analytical Engines/);
    expect(shown.stdout).toMatch(/associate Ada Lovelace <ada@example.org>\nmatched by: alias countess@example.org/);
    expect(byId.body.person.name).toBe('Charles Babbage');
    expect((await cli(['people', 'show', 'nobody@example.org'], fx.env)).code).toBe(4);
    expect((await cli(['people', 'add', 'Only a name'], fx.env)).code).toBe(2);
  });

  test('When addresses are resolved, then each says what it is and why, including matches made by policy', async () => {
    // Arrange
    await cli(['people', 'add', 'Grace Hopper', 'grace@example.org'], fx.env);
    // Act
    const run = await cliJson<Resolved>(['resolve', 'Grace+Navy@example.org', 'nobody@example.org', 'charles@engine.example', 'not-an-address'], fx.env);
    const human = await cli(['resolve', 'grace+navy@example.org'], fx.env);
    // Assert: exit 1 because one address is not an address at all
    expect(run.code).toBe(1);
    expect(run.body.results.map((r) => [r.kind, r.matchedBy])).toEqual([['associate', 'policy'], ['unknown', ''], ['person', 'primary'], ['unknown', '']]);
    expect(run.body.results[0]).toMatchObject({ matchedAddress: 'grace@example.org', policies: ['subaddress'] });
    expect(human.stdout).toMatch(/associate Grace Hopper <grace@example.org>\s+policy \(subaddress\): same mailbox as grace@example.org/);
  });

  test('When aliases are added and removed wrongly, then the CLI names the problem and exits with a meaningful code', async () => {
    await cli(['people', 'add', 'Alan Turing', 'alan@example.org'], fx.env);
    await cli(['people', 'add', 'Joan Clarke', 'joan@example.org'], fx.env);
    const taken = await cli(['alias', 'add', 'alan@example.org', 'joan@example.org'], fx.env);
    expect(taken).toMatchObject({ code: 1, stderr: expect.stringMatching(/alan@example.org already belongs to associate .* \[ADDRESS_TAKEN\]/) });
    const noOwner = await cli(['alias', 'add', 'x@example.org', 'ghost@example.org'], fx.env);
    expect(noOwner).toMatchObject({ code: 4, stderr: expect.stringMatching(/no associate has the id or address "ghost@example.org"/) });
    const invalid = await cli(['alias', 'add', 'not an address', 'alan@example.org'], fx.env);
    expect(invalid).toMatchObject({ code: 1, stderr: expect.stringMatching(/alias: .* \[INVALID_ADDRESS\]/) });
    const primary = await cli(['alias', 'remove', 'alan@example.org'], fx.env);
    expect(primary).toMatchObject({ code: 1, stderr: expect.stringMatching(/\[PRIMARY_ADDRESS_NOT_REMOVABLE\]/) });
    expect((await cli(['alias', 'remove', 'nobody@example.org'], fx.env)).code).toBe(4);
    expect((await cli(['alias', 'frobnicate'], fx.env)).code).toBe(2);
  });

  test('When a file with malformed and conflicting rows is imported twice, then each row is reported with its field and the second run changes nothing', async () => {
    // Arrange
    const path = file({
      associates: [
        { name: 'Margaret Hamilton', primaryAddress: 'margaret@example.org', aliases: ['mh@example.org'] },
        { name: 'Typo', primaryAdress: 'typo@example.org' },
        { name: 'Bad alias', primaryAddress: 'bad@example.org', aliases: ['ok@example.org', 42] },
        { name: 'Thief', primaryAddress: 'thief@example.org', aliases: ['MH@example.org'] },
        { name: 'Bad zone', primaryAddress: 'zone@example.org', timeZone: 'Mars/Olympus' },
      ],
      persons: [{ name: 'Desk', company: 'NASA', addresses: ['desk@nasa.example'] }],
    });
    // Act
    const first = await cliJson<ImportJson>(['directory', 'import', path], fx.env);
    const second = await cliJson<ImportJson>(['directory', 'import', path], fx.env);
    const human = await cli(['directory', 'import', path], fx.env);
    // Assert
    expect(first.code).toBe(1);
    expect(first.body.rows.map((r) => [r.row, r.outcome, r.field ?? '', r.code ?? ''])).toEqual([
      ['associates[0]', 'CREATED', '', ''],
      ['associates[1]', 'REFUSED', 'primaryAdress', 'MALFORMED_ROW'],
      ['associates[2]', 'REFUSED', 'aliases[1]', 'MALFORMED_ROW'],
      ['associates[3]', 'REFUSED', 'aliases[0]', 'ADDRESS_TAKEN'],
      ['associates[4]', 'REFUSED', 'time_zone', 'INVALID_ARGUMENT'],
      ['persons[0]', 'CREATED', '', ''],
    ]);
    expect(second.body.counts).toEqual({ CREATED: 0, UPDATED: 0, UNCHANGED: 2, REFUSED: 4, FAILED: 0, NOT_ATTEMPTED: 0 });
    expect(human.stdout).toMatch(/associates\[3\]\s+associate\s+thief@example.org\s+REFUSED\s+aliases\[0\]\s+aliases\[0\]: mh@example.org already belongs/);
  });

  test('When the identity service is not reachable during an import, then the CLI says no row was applied and exits 3', async () => {
    const path = file({ associates: [{ name: 'N', primaryAddress: 'n@example.org' }] });
    const run = await cli(['directory', 'import', path, '--json'], { ...fx.env, INVITEFLOW_IDENTITY_GRPC: '127.0.0.1:1' });
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ complete: false, counts: { NOT_ATTEMPTED: 1 } });
    expect(run.stderr).toMatch(/not answering[\s\S]*importing the file again is safe/);
  });

  test('When an alias moves from one associate to another, then the next invitation to it goes to the new owner, never the old', async () => {
    // Arrange: team@ belongs to Alice; an invitation to it lands in her diary (and its resolution is cached)
    await cli(['people', 'add', 'Alice', 'alice@example.org', '--alias', 'team@example.org'], fx.env);
    await cli(['people', 'add', 'Bob', 'bob@example.org'], fx.env);
    const invite = (uid: string) => buildImipMessage({ uid, organizer: 'boss@partner.example', attendees: ['team@example.org'], start: new Date('2026-06-01T09:00:00Z'), durationMinutes: 30 });
    await fx.t.sendMail(invite('team-1'), { from: 'boss@partner.example', to: ['team@example.org'] });
    await eventually('team-1 in Alice\'s diary', 15_000, async () => ((await listDiary(fx.t.appointment(), 'alice@example.org')).entries.length === 1 ? true : undefined));
    // Act: move the alias, then invite again
    expect((await cli(['alias', 'remove', 'team@example.org', '--owner', 'alice@example.org'], fx.env)).code).toBe(0);
    expect((await cli(['alias', 'add', 'team@example.org', 'bob@example.org'], fx.env)).code).toBe(0);
    await fx.t.sendMail(invite('team-2'), { from: 'boss@partner.example', to: ['team@example.org'] });
    // Assert
    const bob = await eventually('team-2 in Bob\'s diary', 15_000, async () => {
      const res = await listDiary(fx.t.appointment(), 'bob@example.org');
      return res.entries.length > 0 ? res : undefined;
    });
    expect(bob.entries.map((a) => a.uid)).toEqual(['team-2']);
    expect((await listDiary(fx.t.appointment(), 'alice@example.org')).entries.map((a) => a.uid)).toEqual(['team-1']);
    expect((await listDiary(fx.t.appointment(), 'team@example.org')).associateId).toBe(bob.associateId);
  }, 60_000);
});
