// Issue 10 §2 end to end: the CRM commands through the CLI against the running cluster — a booking
// with two externals and one associate, the mail commands on mail.outbound-requested.v1 (`outbox`),
// the associate's copy written at once, an instance cancel, and a refusal with its code.
import { cli, cliJson, useCliCluster } from './cli.runner';
import { eventually, upsertAssociate } from './cluster.harness';

const MARGE = 'marge@example.org';
const HOMER = 'homer@example.org';
const LENNY = 'lenny@partner.example';
const CARL = 'carl@partner.example';

interface CrmJson { requestId: string; uid: string; sequence?: number; changed?: boolean; commands?: Array<{ method: string; recipient: string; recurrenceId?: string; key: string }>; updatedCopies?: string[] }
interface OutboxJson { entries: Array<{ method: string; recipients: string[]; key: string; recurrenceId: string; state: string }> }
interface HistoryJson { entries: Array<{ mailId: string; method: string; outcome: string }> }

describe('the CRM commands end to end through the CLI', () => {
  const fx = useCliCluster(['example.org']);

  test('When Marge books a weekly meeting with two externals and Homer, then outbox lists one REQUEST per external, Homer\'s copy exists, and cancelling one instance adds a CANCEL per external for that instance', async () => {
    // Arrange
    await upsertAssociate(fx.t.identity, { name: 'Marge', primaryAddress: MARGE, timeZone: 'Europe/Oslo' });
    await upsertAssociate(fx.t.identity, { name: 'Homer', primaryAddress: HOMER, timeZone: 'Europe/Oslo' });
    // Act
    const booked = await cliJson<CrmJson>(['book', MARGE, '--summary', 'Weekly sync', '--start', '2026-05-04T09:00', '--end', '2026-05-04T10:00', '--rrule', 'FREQ=WEEKLY;COUNT=3',
      '--participant', HOMER, '--participant', LENNY, '--participant', CARL, '--request-id', 'e2e-book-1'], fx.env);
    const cancelled = await cliJson<CrmJson>(['meeting', 'cancel', booked.body.uid, '--owner', MARGE, '--instance', '2026-05-11T07:00:00Z', '--request-id', 'e2e-cancel-1'], fx.env);
    // Assert
    expect(booked.code).toBe(0);
    expect(booked.body.commands?.map((c) => [c.method, c.recipient])).toEqual([['REQUEST', CARL], ['REQUEST', LENNY]]);
    expect(booked.body.updatedCopies).toHaveLength(1);
    expect(cancelled.body.commands?.map((c) => [c.method, c.recipient, c.recurrenceId])).toEqual([['CANCEL', CARL, '2026-05-11T07:00:00.000Z'], ['CANCEL', LENNY, '2026-05-11T07:00:00.000Z']]);
    const outboxed = await eventually('four commands in the outbox', 20_000, async () => {
      const run = await cliJson<OutboxJson>(['outbox', '--uid', booked.body.uid], fx.env);
      return run.body.entries.length === 4 ? run.body : undefined;
    });
    expect(outboxed.entries.map((e) => [e.method, e.recipients[0]])).toEqual([['REQUEST', CARL], ['REQUEST', LENNY], ['CANCEL', CARL], ['CANCEL', LENNY]]);
    expect(outboxed.entries.map((e) => e.key)).toEqual([...booked.body.commands!, ...cancelled.body.commands!].map((c) => c.key));
    const shown = await cli(['meeting', 'show', booked.body.uid, '--owner', HOMER], fx.env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Weekly sync');
    const history = await cliJson<HistoryJson>(['meeting', 'history', booked.body.uid], fx.env);
    expect(history.body.entries.map((e) => [e.mailId, e.method])).toEqual(expect.arrayContaining([['crm:e2e-book-1', 'REQUEST'], ['crm:e2e-cancel-1', 'CANCEL']]));
  });

  test('When book names an end before its start, then it is refused (exit 1) with the field and code, and nothing is booked', async () => {
    // Arrange
    await upsertAssociate(fx.t.identity, { name: 'Moe', primaryAddress: 'moe@example.org', timeZone: 'Europe/Oslo' });
    const before = (await cliJson<OutboxJson>(['outbox'], fx.env)).body.entries.length;
    // Act
    const run = await cli(['book', 'moe@example.org', '--summary', 'Backwards', '--start', '2026-05-04T10:00', '--end', '2026-05-04T09:00', '--participant', LENNY], fx.env);
    // Assert
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('time.end');
    expect(run.stderr).toContain('INVALID_TIME_RANGE');
    expect((await cliJson<OutboxJson>(['outbox'], fx.env)).body.entries).toHaveLength(before);
  });
});
