import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findWorkspaceRoot } from '@inviteflow/infra';
import { eventually } from './cluster.harness';
import { cli, useCliCluster } from './cli.runner';
import { MARGE_INVITES_HOMER } from './example-mail';

const root = findWorkspaceRoot(__dirname);

describe('the inviteflow CLI against a running cluster', () => {
  const fx = useCliCluster(['example.org']);

  test('When the walk-through is followed, then import, send, diary and status all work and --json is parseable', async () => {
    // Arrange / Act: the README walk-through
    const imported = await cli(['directory', 'import', join(root, 'examples/directory.json'), '--json'], fx.env);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout).counts).toEqual({ CREATED: 4, UPDATED: 0, UNCHANGED: 0, REFUSED: 0, FAILED: 0, NOT_ATTEMPTED: 0 });
    const again = await cli(['directory', 'import', join(root, 'examples/directory.json'), '--json'], fx.env);
    expect(JSON.parse(again.stdout).counts).toEqual({ CREATED: 0, UPDATED: 0, UNCHANGED: 4, REFUSED: 0, FAILED: 0, NOT_ATTEMPTED: 0 });

    const sent = await cli(['send', MARGE_INVITES_HOMER.file], fx.env);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(/sent .* to homer@example.org: 250 /);

    // Assert
    const diary = await eventually('the appointment through the CLI', 10_000, async () => {
      const run = await cli(['diary', 'homer@example.org', '--json'], fx.env);
      const parsed = JSON.parse(run.stdout) as { entries?: Array<{ status: string; start: string }> };
      return parsed.entries?.length ? parsed : undefined;
    });
    expect(diary.entries![0]).toMatchObject({ status: 'DIARY_STATUS_TENTATIVE', start: MARGE_INVITES_HOMER.start });

    const human = await cli(['diary', 'homer@example.org'], fx.env);
    expect(human.stdout).toMatch(/ tentative /);
    const status = await cli(['status', '--json'], fx.env);
    expect(status.code).toBe(0);
    const s = JSON.parse(status.stdout) as { streams: Array<{ name: string }>; consumers: Array<{ name: string; numPending: number }>; deadLetters: number };
    expect(s.streams.map((x) => x.name)).toEqual(expect.arrayContaining(['MAIL', 'INVITE', 'DLQ']));
    expect(s.consumers.map((c) => c.name)).toEqual(expect.arrayContaining(['parser', 'appointment', 'outbound-mail']));
    expect(s.deadLetters).toBe(0);
  }, 60_000);

  test('When an import row conflicts, then that row is refused with the reason and exit code 1', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cli-')), 'dir.json');
    writeFileSync(file, JSON.stringify({ associates: [
      { name: 'Bart', primaryAddress: 'bart@example.org' },
      { name: 'Impostor', primaryAddress: 'imp@example.org', aliases: ['bart@example.org'] },
      { name: 'Broken', primaryAddress: 'not an address' },
    ] }));
    const run = await cli(['directory', 'import', file, '--json'], fx.env);
    expect(run.code).toBe(1);
    const rows = (JSON.parse(run.stdout) as { rows: Array<{ row: string; outcome: string; reason?: string }> }).rows;
    expect(rows.map((r) => r.outcome)).toEqual(['CREATED', 'REFUSED', 'REFUSED']);
    expect(rows[1]!.reason).toMatch(/ADDRESS_TAKEN/);
    expect(rows[2]!.reason).toMatch(/INVALID_ADDRESS/);
  });

  test('When the command line is wrong or the cluster is not there, then the exit code says so', async () => {
    expect((await cli(['frobnicate'], fx.env)).code).toBe(2);
    const typo = await cli(['diray', 'homer@example.org'], fx.env);
    expect(typo).toMatchObject({ code: 2, stderr: "inviteflow: unknown command 'diray'; did you mean 'diary'?\n" });
    expect((await cli(['diary'], fx.env)).code).toBe(2);
    const down = await cli(['diary', 'x@example.org'], { ...fx.env, INVITEFLOW_APPOINTMENT_GRPC: '127.0.0.1:1' });
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/not answering/);
    const unknown = await cli(['diary', 'nobody@example.org'], fx.env);
    expect(unknown.code).toBe(4);
  });

  test('When the CLI has no gRPC credential, a wrong token or no TLS, then the services refuse it (issue 15)', async () => {
    // Arrange: a well-formed token the cluster never issued
    const wrongToken = join(mkdtempSync(join(tmpdir(), 'cli-')), 'wrong.token');
    writeFileSync(wrongToken, 'not-a-token-this-cluster-issued\n');
    // Act
    const wrong = await cli(['diary', 'homer@example.org'], { ...fx.env, INVITEFLOW_GRPC_TOKEN_FILE: wrongToken });
    const none = await cli(['resolve', 'homer@example.org'], { ...fx.env, INVITEFLOW_GRPC_TOKEN_FILE: '', INVITEFLOW_DATA: mkdtempSync(join(tmpdir(), 'cli-')) });
    const plaintext = await cli(['resolve', 'homer@example.org'], { ...fx.env, INVITEFLOW_GRPC_SECURITY: 'off' });
    const right = await cli(['resolve', 'homer@example.org'], fx.env);
    // Assert
    expect(wrong).toMatchObject({ code: 1, stderr: expect.stringMatching(/refused the CLI's credential/) });
    expect(none).toMatchObject({ code: 2, stderr: expect.stringMatching(/INVITEFLOW_GRPC_TOKEN_FILE/) });
    expect(plaintext.code).toBe(3);
    expect(right.code).toBe(0);
  });
});
