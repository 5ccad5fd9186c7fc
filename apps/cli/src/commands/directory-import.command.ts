import { readFileSync } from 'node:fs';
import { status } from '@grpc/grpc-js';
import { identityV1 } from '@inviteflow/proto-gen';
import { callUnary } from '@inviteflow/rpc';
import type { AppError } from '@inviteflow/runtime';
import { cliError, EXIT, exitCodeOf, Output, table } from '../cli-output';
import { cliErrorFromGrpc, identityClient } from '../grpc-clients';
import { checkDirectoryFile, CheckedRow } from './directory-file';

type Outcome = 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'REFUSED' | 'FAILED' | 'NOT_ATTEMPTED';

interface RowReport {
  row: string;
  kind: 'associate' | 'person';
  key: string;
  outcome: Outcome;
  /** "message [CODE]" when refused or not applied. */
  reason?: string;
  code?: string;
  field?: string;
  id?: string;
  /** What an applied row did beyond its own list (docs/identity.md, "Bulk import"). */
  removedAddresses?: string[];
  keptAddresses?: string[];
  movedAddresses?: string[];
  /** The server's note on an applied row ("moved x from Homer Simpson (id)", "kept y (not in the row)"). */
  note?: string;
}

/** `--move-addresses`: rows may take other associates' aliases; `--replace-aliases`: a row's aliases are the whole list. */
export interface ImportFlags {
  moveAddresses?: boolean;
  replaceAliases?: boolean;
}

/** Rows per ImportDirectory call, and that call's deadline: a chunk is a few seconds at most. */
const CHUNK_ROWS = 500;
const CHUNK_DEADLINE_MS = 60_000;

const OUTCOME: Record<number, Outcome> = {
  [identityV1.ImportOutcome.IMPORT_OUTCOME_CREATED]: 'CREATED',
  [identityV1.ImportOutcome.IMPORT_OUTCOME_UPDATED]: 'UPDATED',
  [identityV1.ImportOutcome.IMPORT_OUTCOME_UNCHANGED]: 'UNCHANGED',
  [identityV1.ImportOutcome.IMPORT_OUTCOME_REFUSED]: 'REFUSED',
  [identityV1.ImportOutcome.IMPORT_OUTCOME_FAILED]: 'FAILED',
  [identityV1.ImportOutcome.IMPORT_OUTCOME_NOT_ATTEMPTED]: 'NOT_ATTEMPTED',
};

/**
 * `inviteflow directory import <file>`: the whole file through the identity service's bulk
 * ImportDirectory RPC, in chunks. Idempotent (importing twice reports UNCHANGED). Every row is
 * reported — created, updated, unchanged, refused (with row, field and reason code), or, when
 * the import had to stop (identity unreachable, database down, deadline), failed / not
 * attempted — so it never stops half-way without saying which rows were applied.
 */
export async function directoryImport(file: string, identityAddr: string, out: Output, flags: ImportFlags = {}): Promise<number> {
  const checked = readDirectoryFile(file);
  const reports: RowReport[] = checked.filter((c) => c.problem).map((c) => refusedHere(c));
  const toSend = checked.filter((c) => c.row);
  const client = identityClient(identityAddr);
  let stop: AppError | undefined;
  try {
    for (let i = 0; i < toSend.length; i += CHUNK_ROWS) {
      const chunk = toSend.slice(i, i + CHUNK_ROWS);
      if (stop) {
        reports.push(...chunk.map((c) => notAttempted(c, 'the import stopped before this row')));
        continue;
      }
      try {
        const res = await callUnary<identityV1.ImportDirectoryResponse>((md, o, cb) => client.importDirectory({ rows: chunk.map((c) => c.row!), moveAddresses: !!flags.moveAddresses, replaceAliases: !!flags.replaceAliases }, md, o, cb), CHUNK_DEADLINE_MS);
        reports.push(...res.results.map((r, j) => fromServer(chunk[j]!, r)));
        if (!res.complete) stop = cliError('CLI_PARTLY_FAILED', stoppedMessage(reports));
      } catch (err) {
        const e = err as { code?: number };
        stop = e.code === status.UNAVAILABLE || e.code === status.DEADLINE_EXCEEDED ? cliErrorFromGrpc(err, 'identity', identityAddr) : cliError('CLI_PARTLY_FAILED', String((err as Error).message));
        // The call failed as a whole: the server may have applied part of this chunk.
        reports.push(...chunk.map((c) => notAttempted(c, `${stop!.message} (this chunk may be partly applied)`)));
      }
    }
  } finally {
    client.close();
  }
  reports.sort((a, b) => order(a.row) - order(b.row));
  const counts = countOutcomes(reports);
  out.result({ file, counts, complete: !stop, rows: reports }, [
    table(['row', 'kind', 'key', 'outcome', 'field', 'reason'], reports.map((r) => [r.row, r.kind, r.key, r.outcome, r.field ?? '', r.reason ?? r.note ?? ''])),
    '',
    `created ${counts.CREATED}, updated ${counts.UPDATED}, unchanged ${counts.UNCHANGED}, refused ${counts.REFUSED}` +
      (stop ? `, failed ${counts.FAILED}, not attempted ${counts.NOT_ATTEMPTED}` : ''),
  ].join('\n'));
  if (stop) {
    process.stderr.write(`inviteflow: ${stop.message}\ninviteflow: rows marked CREATED, UPDATED or UNCHANGED were applied; importing the file again is safe.\n`);
    return exitCodeOf(stop);
  }
  return counts.REFUSED > 0 ? EXIT.partial : EXIT.ok;
}

function fromServer(c: CheckedRow, r: identityV1.ImportRowResult): RowReport {
  const outcome = OUTCOME[r.outcome] ?? 'FAILED';
  const base: RowReport = { row: c.ref, kind: c.kind, key: c.key, outcome };
  if (outcome === 'CREATED' || outcome === 'UPDATED' || outcome === 'UNCHANGED') {
    return { ...base, id: r.id, removedAddresses: r.removedAddresses, keptAddresses: r.keptAddresses, movedAddresses: r.movedAddresses, note: r.message || undefined };
  }
  return { ...base, reason: `${r.message} [${r.reason}]`, code: r.reason, field: r.field || undefined };
}

function refusedHere(c: CheckedRow): RowReport {
  return { row: c.ref, kind: c.kind, key: c.key, outcome: 'REFUSED', field: c.problem!.field, code: 'MALFORMED_ROW', reason: `${c.problem!.field}: ${c.problem!.message} [MALFORMED_ROW]` };
}

function notAttempted(c: CheckedRow, why: string): RowReport {
  return { row: c.ref, kind: c.kind, key: c.key, outcome: 'NOT_ATTEMPTED', reason: why };
}

function stoppedMessage(reports: RowReport[]): string {
  const at = reports.find((r) => r.outcome === 'FAILED' || r.outcome === 'NOT_ATTEMPTED');
  return `the import stopped at ${at?.row ?? 'a row'}: ${at?.reason ?? 'the server did not finish'}`;
}

/** associates[3] before persons[0], each in file order. */
function order(ref: string): number {
  const m = /^(associates|persons)\[(\d+)\]$/.exec(ref);
  return m ? (m[1] === 'associates' ? 0 : 1e9) + Number(m[2]) : 2e9;
}

function countOutcomes(reports: RowReport[]): Record<Outcome, number> {
  const counts: Record<Outcome, number> = { CREATED: 0, UPDATED: 0, UNCHANGED: 0, REFUSED: 0, FAILED: 0, NOT_ATTEMPTED: 0 };
  for (const r of reports) counts[r.outcome]++;
  return counts;
}

function readDirectoryFile(file: string): CheckedRow[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw cliError('CLI_FILE_UNREADABLE', `cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return checkDirectoryFile(JSON.parse(text) as unknown);
  } catch (err) {
    throw cliError('CLI_USAGE', `${file} is not a directory file: ${(err as Error).message}`);
  }
}
