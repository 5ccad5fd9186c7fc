import { isAppError } from '@inviteflow/runtime';
import type { AssociateService } from './associate.service';
import type { AssociateInput, PersonInput } from './directory.input';
import { fieldOf, IDENTITY_ERROR_CODES } from './identity.errors';
import type { PersonService } from './person.service';

export type ImportRowInput =
  | { ref: string; associate: AssociateInput; person?: undefined }
  | { ref: string; person: PersonInput; associate?: undefined }
  | { ref: string; associate?: undefined; person?: undefined };

export type ImportOutcome = 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'REFUSED' | 'FAILED' | 'NOT_ATTEMPTED';

export interface ImportRowResult {
  ref: string;
  kind: 'associate' | 'person' | '';
  key: string;
  outcome: ImportOutcome;
  reason: string;
  field: string;
  message: string;
  id: string;
}

/** Asked before each row: stop now (deadline near, caller gone)? The reason is reported. */
export type StopCheck = () => string | undefined;

const CONFLICT_ATTEMPTS = 3;

/**
 * Bulk import, row by row through the same upserts as the single RPCs, so it is idempotent:
 * importing a file twice reports UNCHANGED the second time. A refused row never stops the
 * others. Only two things stop the run — the caller's deadline and a database that does not
 * answer — and then every row not reached is reported NOT_ATTEMPTED, with its reason, so the
 * caller always knows exactly which rows were applied.
 */
export class ImportService {
  constructor(private readonly associates: AssociateService, private readonly persons: PersonService) {}

  async importRows(rows: ImportRowInput[], shouldStop: StopCheck): Promise<{ results: ImportRowResult[]; complete: boolean }> {
    const results: ImportRowResult[] = [];
    let stopped: { reason: string; message: string } | undefined;
    for (const row of rows) {
      const base = describe(row);
      const stopReason = stopped ? undefined : shouldStop();
      if (stopReason) stopped = { reason: stopReason, message: 'the import stopped before this row; importing again is safe' };
      if (stopped) {
        results.push({ ...base, outcome: 'NOT_ATTEMPTED', reason: stopped.reason, field: '', message: stopped.message, id: '' });
        continue;
      }
      const result = await this.importOne(row, base);
      if (result.outcome === 'FAILED') stopped = { reason: result.reason, message: `the import stopped at ${row.ref}: ${result.message}` };
      results.push(result);
    }
    return { results, complete: !stopped };
  }

  private async importOne(row: ImportRowInput, base: Pick<ImportRowResult, 'ref' | 'kind' | 'key'>): Promise<ImportRowResult> {
    if (!row.associate && !row.person) {
      return { ...base, outcome: 'REFUSED', reason: IDENTITY_ERROR_CODES.invalidArgument, field: 'entry', message: 'entry: a row is an associate or a person', id: '' };
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const { id, outcome } = row.associate
          ? await this.associates.upsert(row.associate).then((r) => ({ id: r.associate._id, outcome: r.outcome }))
          : await this.persons.upsert(row.person!).then((r) => ({ id: r.person._id, outcome: r.outcome }));
        return { ...base, outcome, reason: '', field: '', message: '', id };
      } catch (err) {
        if (isAppError(err) && err.code === IDENTITY_ERROR_CODES.conflict && attempt < CONFLICT_ATTEMPTS) continue;
        return failed(base, err);
      }
    }
  }
}

const ROW_FAULTS = new Set<string>(Object.values(IDENTITY_ERROR_CODES));

/**
 * A refusal with one of our own codes is the row's fault: report it and go on. Anything else
 * (the database down or failing, a bug) is not, and would fail the next rows the same way:
 * stop, say where, and let the caller import again.
 */
function failed(base: Pick<ImportRowResult, 'ref' | 'kind' | 'key'>, err: unknown): ImportRowResult {
  const message = err instanceof Error ? err.message : String(err);
  if (isAppError(err) && ROW_FAULTS.has(err.code) && (!err.retryable || err.code === IDENTITY_ERROR_CODES.conflict)) {
    return { ...base, outcome: 'REFUSED', reason: err.code, field: fieldOf(err), message, id: '' };
  }
  const code = (err as { code?: unknown }).code;
  const reason = typeof code === 'string' ? code : 'INTERNAL';
  return { ...base, outcome: 'FAILED', reason, field: '', message: `${message} (this row may be partly written; importing again completes it)`, id: '' };
}

function describe(row: ImportRowInput): Pick<ImportRowResult, 'ref' | 'kind' | 'key'> {
  if (row.associate) return { ref: row.ref, kind: 'associate', key: row.associate.primaryAddress ?? '' };
  if (row.person) return { ref: row.ref, kind: 'person', key: row.person.addresses[0] ?? row.person.name ?? '' };
  return { ref: row.ref, kind: '', key: '' };
}
