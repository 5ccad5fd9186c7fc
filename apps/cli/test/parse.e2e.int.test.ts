import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { findWorkspaceRoot } from '@inviteflow/infra';
import { parseMail } from '@inviteflow/parser-core';
import { eventsV1 } from '@inviteflow/proto-gen';
import { corpusDir, readCorpus } from '@inviteflow/testing';
import { cli, type CliRun } from './cli.runner';

// `inviteflow parse` as a support engineer runs it: the built CLI, offline, on corpus files
// read in place. No cluster is started; the command needs none.
const root = findWorkspaceRoot(__dirname);
const cliBundle = join(root, 'dist/apps/cli/main.js');

const OUTLOOK_INVITE = 'outlook__o365-request-fle-tz.eml';
const OUTLOOK_UID = '030000008200E00074C5B7101A82E0080000000060B608D090DDD7010000000000000000100000004BE0CFFA54BCF64E956E34143362C3C0';
const POSTFIX_BOUNCE = 'postfix-dsn__bounced-request-message-rfc822.eml';
const UNKNOWN_METHOD = 'libical__method-xyz-invalid.ics';
// The project's own Outlook-style Teams invitation (join link in X-MICROSOFT-SKYPETEAMSMEETINGURL
// and in DESCRIPTION), one of the parser's golden test inputs.
const TEAMS_INVITE = join(root, 'libs/parser-core/test/inputs/joinlink-teams-outlook.eml');
const TEAMS_JOIN_URL = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_ZmFrZS1tZWV0aW5nLWlkLWZvci10ZXN0cw%40thread.v2/0'
  + '?context=%7b%22Tid%22%3a%2211111111-2222-3333-4444-555555555555%22%2c%22Oid%22%3a%2266666666-7777-8888-9999-000000000000%22%7d';

/** The CLI with no cluster around it: parse needs none. */
const cliOffline = (args: string[]): ReturnType<typeof cli> => cli(args, {});

interface ParseJson {
  outcome: string;
  summary: string;
  reasonCode?: string;
  detail?: string;
  invites: unknown[];
}

async function parseJson(file: string): Promise<{ run: CliRun; json: ParseJson }> {
  const run = await cliOffline(['parse', join(corpusDir(), file), '--json']);
  return { run, json: JSON.parse(run.stdout) as ParseJson };
}

describe('inviteflow parse', () => {
  beforeAll(() => {
    if (!existsSync(cliBundle)) throw new Error(`${cliBundle} is missing: run npx nx run cli:build (or ./dev build) first`);
  });

  test('When the Outlook invitation is parsed, then it prints a REQUEST with its UID and the Helsinki-time instants, and exits 0', async () => {
    // Act
    const run = await cliOffline(['parse', join(corpusDir(), OUTLOOK_INVITE)]);

    // Assert
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^outcome: +parsed:REQUEST$/m);
    expect(run.stdout).toMatch(/^ +method: +REQUEST$/m);
    expect(run.stdout).toContain(`uid:       ${OUTLOOK_UID}`);
    // 09:00–09:30 FLE Standard Time (Helsinki, UTC+2 in November) is 07:00–07:30 UTC.
    expect(run.stdout).toMatch(/start: +2021-11-27T07:00:00\.000Z +\(TZID FLE Standard Time/);
    expect(run.stdout).toMatch(/end: +2021-11-27T07:30:00\.000Z/);
    expect(run.stdout).toMatch(/organizer: +Marge <marge@example\.org>/);
    expect(run.stdout).toMatch(/- Homer <homer@example\.org> +NEEDS-ACTION/);
  });

  test('When the Postfix bounce is parsed, then it is ignored as a delivery status notification and exits 5', async () => {
    // Act
    const human = await cliOffline(['parse', join(corpusDir(), POSTFIX_BOUNCE)]);
    const { run, json } = await parseJson(POSTFIX_BOUNCE);

    // Assert
    expect(human.code).toBe(5);
    expect(human.stdout).toMatch(/^reason: +DELIVERY_STATUS_NOTIFICATION$/m);
    expect(run.code).toBe(5);
    expect(json).toMatchObject({ outcome: 'ignored', reasonCode: 'DELIVERY_STATUS_NOTIFICATION', invites: [] });
  });

  test('When a calendar with an unknown METHOD is parsed, then it is rejected as UNSUPPORTED_METHOD with the reason and exits 5', async () => {
    // Act
    const human = await cliOffline(['parse', join(corpusDir(), UNKNOWN_METHOD)]);
    const { run, json } = await parseJson(UNKNOWN_METHOD);

    // Assert
    expect(human.code).toBe(5);
    expect(human.stdout).toMatch(/^outcome: +rejected:UNSUPPORTED_METHOD$/m);
    expect(human.stdout).toMatch(/^detail: +.*XYZ/m);
    expect(run.code).toBe(5);
    expect(json).toMatchObject({ outcome: 'rejected', reasonCode: 'UNSUPPORTED_METHOD' });
  });

  test('When --json is given, then each invite is exactly the InviteParsed the parser service would publish', async () => {
    // Arrange: the same core, in process, with the context the CLI uses for a file
    const file = join(corpusDir(), OUTLOOK_INVITE);
    const inProcess = await parseMail(readCorpus(OUTLOOK_INVITE), { mailId: `file:${basename(file)}`, envelopeFrom: '', envelopeTo: [] });

    // Act
    const { run, json } = await parseJson(OUTLOOK_INVITE);

    // Assert
    expect(run.code).toBe(0);
    expect(json).toMatchObject({ outcome: 'parsed', summary: 'parsed:REQUEST' });
    const invites = json.invites.map((wire) => eventsV1.InviteParsed.fromJSON(wire));
    expect(inProcess.kind === 'parsed' && inProcess.invites).toEqual(invites);
    expect(invites.map((invite) => eventsV1.InviteParsed.toJSON(invite))).toEqual(json.invites);
    expect(invites[0]).toMatchObject({ method: 'REQUEST', uid: OUTLOOK_UID });
    expect(invites[0]!.events[0]!.start).toEqual(new Date('2021-11-27T07:00:00Z'));
  });

  test('When an Outlook Teams invitation is parsed, then the join link is shown whole with its provider and source, and --json carries it', async () => {
    // Act
    const human = await cliOffline(['parse', TEAMS_INVITE]);
    const machine = await cliOffline(['parse', TEAMS_INVITE, '--json']);

    // Assert
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`    join link:  ${TEAMS_JOIN_URL}  (teams, from X-MICROSOFT-SKYPETEAMSMEETINGURL)`);
    expect(machine.code).toBe(0);
    const json = JSON.parse(machine.stdout) as ParseJson;
    expect(json.invites).toHaveLength(1);
    expect(json.invites[0]).toMatchObject({
      events: [{ onlineMeetingUrl: TEAMS_JOIN_URL, onlineMeetingProvider: 'teams', onlineMeetingSource: 'X-MICROSOFT-SKYPETEAMSMEETINGURL' }],
    });
  });

  test('When the file cannot be read or is not given, then it exits 2 and says why', async () => {
    // Act
    const missing = await cliOffline(['parse', join(corpusDir(), 'no-such-file.eml')]);
    const noArgument = await cliOffline(['parse']);

    // Assert
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*no-such-file\.eml/);
    expect(noArgument.code).toBe(2);
    expect(noArgument.stderr).toMatch(/parse <file\.eml\|file\.ics>/);
  });
});
