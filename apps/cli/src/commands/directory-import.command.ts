import { readFileSync } from 'node:fs';
import { identityV1 } from '@inviteflow/proto-gen';
import { callUnary, reasonOf } from '@inviteflow/rpc';
import { CliError, EXIT, Output, table } from '../cli-output';
import { CLI_DEADLINE_MS, cliErrorFromGrpc, identityClient } from '../grpc-clients';

/**
 * `inviteflow directory import <file>`: a JSON file `{ "associates": [...], "persons": [...] }`.
 * Idempotent (upserts); every row is reported as created, updated, unchanged or refused, and
 * a refused row never stops the rows after it.
 */
interface RowReport {
  row: string;
  kind: 'associate' | 'person';
  key: string;
  outcome: 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'REFUSED';
  reason?: string;
}

interface DirectoryFile {
  associates?: Array<Partial<identityV1.Associate>>;
  persons?: Array<Partial<identityV1.Person>>;
}

export async function directoryImport(file: string, identityAddr: string, out: Output): Promise<number> {
  const doc = readDirectoryFile(file);
  const client = identityClient(identityAddr);
  const reports: RowReport[] = [];
  try {
    for (const [i, a] of (doc.associates ?? []).entries()) {
      const key = a.primaryAddress ?? '';
      reports.push(await importRow(`associates[${i}]`, 'associate', key, () =>
        callUnary<identityV1.UpsertAssociateResponse>((md, o, cb) => client.upsertAssociate({ associate: identityV1.Associate.fromPartial(a) }, md, o, cb), CLI_DEADLINE_MS), identityAddr));
    }
    for (const [i, p] of (doc.persons ?? []).entries()) {
      const key = p.addresses?.[0] ?? p.name ?? '';
      reports.push(await importRow(`persons[${i}]`, 'person', key, () =>
        callUnary<identityV1.UpsertPersonResponse>((md, o, cb) => client.upsertPerson({ person: identityV1.Person.fromPartial(p) }, md, o, cb), CLI_DEADLINE_MS), identityAddr));
    }
  } finally {
    client.close();
  }
  const counts = countOutcomes(reports);
  out.result({ file, counts, rows: reports }, [
    table(['row', 'kind', 'key', 'outcome', 'reason'], reports.map((r) => [r.row, r.kind, r.key, r.outcome, r.reason ?? ''])),
    '',
    `created ${counts.CREATED}, updated ${counts.UPDATED}, unchanged ${counts.UNCHANGED}, refused ${counts.REFUSED}`,
  ].join('\n'));
  return counts.REFUSED > 0 ? EXIT.partial : EXIT.ok;
}

async function importRow(
  row: string, kind: RowReport['kind'], key: string, call: () => Promise<{ outcome: string }>, addr: string,
): Promise<RowReport> {
  try {
    const res = await call();
    return { row, kind, key, outcome: res.outcome as RowReport['outcome'] };
  } catch (err) {
    const e = err as { code?: number; details?: string };
    // Unavailability is not a property of the row: stop and say which rows were applied.
    if (e.code === 14 || e.code === 4) throw cliErrorFromGrpc(err, 'identity', addr);
    return { row, kind, key, outcome: 'REFUSED', reason: `${e.details ?? String(err)}${reasonOf(err) ? ` [${reasonOf(err)}]` : ''}` };
  }
}

function countOutcomes(reports: RowReport[]): Record<RowReport['outcome'], number> {
  const counts = { CREATED: 0, UPDATED: 0, UNCHANGED: 0, REFUSED: 0 };
  for (const r of reports) counts[r.outcome]++;
  return counts;
}

function readDirectoryFile(file: string): DirectoryFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`, EXIT.usage);
  }
  try {
    const doc = JSON.parse(text) as DirectoryFile;
    if (typeof doc !== 'object' || doc === null || (!Array.isArray(doc.associates) && !Array.isArray(doc.persons))) {
      throw new Error('expected an object with "associates" and/or "persons" arrays');
    }
    return doc;
  } catch (err) {
    throw new CliError(`${file} is not a directory file: ${(err as Error).message}`, EXIT.usage);
  }
}
