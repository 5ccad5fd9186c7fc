import { appointmentV1 } from '@inviteflow/proto-gen';
import { callUnary } from '@inviteflow/rpc';
import { cliError, EXIT, Output } from '../cli-output';
import { appointmentClient, CLI_DEADLINE_MS, cliErrorFromGrpc } from '../grpc-clients';
import { diaryJson, diaryText, parseDiaryBound } from './diary.format';

export interface DiaryOptions {
  from?: string;
  /** `--to` may be given several times for `send`; the diary takes one. */
  to?: string[];
}

/**
 * `inviteflow diary <associate> [--from D] [--to D]`: every instance in the associate's diary,
 * series expanded, with its status. Without a window the service lists one-off meetings
 * whatever their date and expands series from 30 days ago to a year ahead.
 */
export async function diary(associate: string, addr: string, opts: DiaryOptions, out: Output): Promise<number> {
  if ((opts.to?.length ?? 0) > 1) throw cliError('CLI_USAGE', 'diary: --to may be given once');
  const from = opts.from === undefined ? undefined : parseDiaryBound(opts.from, '--from');
  const to = opts.to?.[0] === undefined ? undefined : parseDiaryBound(opts.to[0], '--to');
  if (from && to && from.getTime() >= to.getTime()) throw cliError('CLI_USAGE', `diary: --from (${from.toISOString()}) must be before --to (${to.toISOString()})`);
  const client = appointmentClient(addr);
  try {
    const res = await callUnary<appointmentV1.ListDiaryResponse>((md, o, cb) => client.listDiary({ associate, from, to }, md, o, cb), CLI_DEADLINE_MS);
    out.result(diaryJson(res), diaryText(associate, res));
    return EXIT.ok;
  } catch (err) {
    throw cliErrorFromGrpc(err, 'appointment', addr);
  } finally {
    client.close();
  }
}
