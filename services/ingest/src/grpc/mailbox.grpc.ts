// MailboxService: the operator's side of mailbox intake (issue 12; `inviteflow mailbox ...`).
// Secrets go in and never come out: a listing says where a secret is ("set", a file, an
// environment variable), and neither logs nor errors carry one (publicMailbox strips them).
import { ingestV1 } from '@inviteflow/proto-gen';
import { RpcLogger, unaryHandler } from '@inviteflow/rpc';
import type { MailboxCheckpointRepository } from '../data/mailbox-checkpoint.repository';
import type { MailboxLeaseRepository } from '../data/mailbox-lease.repository';
import type { MailboxRepository } from '../data/mailbox.repository';
import { type MailboxDefinition, type MailboxStatus, publicMailbox } from '../imap/mailbox.types';
import { describeRef, type SecretRefPolicy } from '../secrets/mailbox-secret';
import { invalid, MAILBOX_ADMIN_ERROR_CODES as C, withGrpcStatus } from './mailbox.errors';
import { toMailboxDefinition } from './mailbox.request';

export interface MailboxGrpcDeps {
  mailboxes: Pick<MailboxRepository, 'insert' | 'save' | 'list' | 'remove'>;
  checkpoints: Pick<MailboxCheckpointRepository, 'read' | 'statusOf'>;
  leases: Pick<MailboxLeaseRepository, 'holder'>;
  /** Makes this replica's pollers follow the definitions now (others follow on their own reload). */
  reload: () => Promise<void>;
  secrets: SecretRefPolicy;
  log: RpcLogger & { info(obj: object, msg?: string): void };
  now?: () => Date;
}

export function mailboxGrpcImplementation(deps: MailboxGrpcDeps): ingestV1.MailboxServiceServer {
  const handle = <Req, Res>(method: string, fn: (req: Req) => Promise<Res>) =>
    unaryHandler<Req, Res>(deps.log, method, (req) => fn(req).catch((err: unknown) => { throw withGrpcStatus(err); }));
  return {
    addMailbox: handle('AddMailbox', (req: ingestV1.AddMailboxRequest) => addMailbox(deps, req)),
    listMailboxes: handle('ListMailboxes', async (): Promise<ingestV1.ListMailboxesResponse> => ({ mailboxes: (await deps.mailboxes.list()).map(toMailbox) })),
    removeMailbox: handle('RemoveMailbox', async (req: ingestV1.RemoveMailboxRequest): Promise<ingestV1.RemoveMailboxResponse> => {
      if (!(await deps.mailboxes.remove(req.id))) throw invalid(C.notFound, `no mailbox '${req.id}'`);
      deps.log.info({ mailbox: req.id }, 'mailbox removed');
      await deps.reload();
      return {};
    }),
    mailboxStatus: handle('MailboxStatus', (req: ingestV1.MailboxStatusRequest) => mailboxStatus(deps, req)),
  };
}

async function addMailbox(deps: MailboxGrpcDeps, req: ingestV1.AddMailboxRequest): Promise<ingestV1.AddMailboxResponse> {
  const { def, replace } = await toMailboxDefinition(req, deps.secrets);
  const now = (deps.now ?? (() => new Date()))();
  let replaced = false;
  if (replace) {
    replaced = (await deps.mailboxes.list()).some((m) => m.id === def.id);
    await deps.mailboxes.save(def, now);
  } else if (!(await deps.mailboxes.insert(def, now))) {
    throw invalid(C.exists, `a mailbox '${def.id}' exists (remove it first, or add with replace)`);
  }
  deps.log.info({ mailbox: publicMailbox(def), replaced }, 'mailbox defined');
  await deps.reload();
  return { mailbox: toMailbox(def), replaced };
}

async function mailboxStatus(deps: MailboxGrpcDeps, req: ingestV1.MailboxStatusRequest): Promise<ingestV1.MailboxStatusResponse> {
  const defs = (await deps.mailboxes.list()).filter((d) => !req.id || d.id === req.id);
  if (req.id && defs.length === 0) throw invalid(C.notFound, `no mailbox '${req.id}'`);
  const mailboxes = await Promise.all(defs.map(async (d) => {
    const [status, checkpoint, lease] = await Promise.all([deps.checkpoints.statusOf(d.id), deps.checkpoints.read(d.id), deps.leases.holder(d.id)]);
    return toState(d.id, status, checkpoint, lease);
  }));
  return { mailboxes };
}

/** The definition as a listing shows it: everything but the secret, and where the secret is. */
export function toMailbox(def: MailboxDefinition): ingestV1.Mailbox {
  const pub = publicMailbox(def);
  const a = def.auth;
  const secret = 'passwordRef' in a ? describeRef(a.passwordRef) : 'accessTokenRef' in a ? describeRef(a.accessTokenRef) : 'set';
  return {
    id: pub.id, host: pub.host, port: pub.port, tls: pub.tls, user: pub.user, authKind: pub.authKind, secret, folder: pub.folder,
    after: pub.after.kind === 'move' ? { moveToFolder: pub.after.folder } : { flag: pub.after.flag },
    pollIntervalSeconds: pub.pollIntervalMs ? Math.round(pub.pollIntervalMs / 1000) : 0,
  };
}

type Checkpoint = Awaited<ReturnType<MailboxCheckpointRepository['read']>>;
type Lease = Awaited<ReturnType<MailboxLeaseRepository['holder']>>;

function toState(id: string, s: MailboxStatus | undefined, checkpoint: Checkpoint, lease: Lease): ingestV1.MailboxState {
  return {
    id, state: s?.state ?? 'unknown', connected: s?.connected ?? false, lastSeenAt: s?.lastSeenAt, lastScanAt: s?.lastScanAt,
    lastErrorCode: s?.lastError?.code ?? '', lastError: s?.lastError?.message ?? '', lastErrorAt: s?.lastError?.at,
    backlog: s?.backlog ?? 0, processed: s?.processed ?? 0, tooLarge: s?.tooLarge ?? 0,
    leaseHolder: lease?.owner ?? '', leaseExpiresAt: lease?.expiresAt,
    uidValidity: checkpoint?.uidValidity ?? '', lastUid: checkpoint?.lastUid ?? 0,
  };
}
