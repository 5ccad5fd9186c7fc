// The local cluster's mailbox (issue 12 point 5): ingest reads Homer's INBOX on the local
// GreenMail over IMAP, so the README can show "put an invitation into the mailbox → it appears
// in the diary". Defined through ingest's own MailboxService, as an operator would, and
// replaced on every start (the definition lives in ingest's database under .data, GreenMail's
// mailboxes in memory: the checkpoint then meets a new UIDVALIDITY and starts over).
import type { LocalMailServer } from '@inviteflow/infra';
import { ingestV1 } from '@inviteflow/proto-gen';
import { callUnary, clientChannelOptions, clientCredentials, type GrpcClientSecurity } from '@inviteflow/rpc';
import { LOCAL_MAIL_PASSWORD } from './cluster-mail';

/** Whose mailbox: an associate in examples/directory.json, so mail in it lands in a diary. */
export const LOCAL_MAILBOX = { id: 'homer', user: 'homer@example.org', folder: 'INBOX', after: { flag: '$InviteflowProcessed' } } as const;
/** IDLE picks new mail up within seconds; this scan is only the fallback. */
const LOCAL_POLL_SECONDS = 30;

export async function defineClusterMailbox(ingestGrpc: string, mail: Pick<LocalMailServer, 'imap'>, security: GrpcClientSecurity): Promise<ingestV1.Mailbox | undefined> {
  const client = new ingestV1.MailboxServiceClient(ingestGrpc, clientCredentials(security), clientChannelOptions(ingestGrpc, security));
  try {
    const req = ingestV1.AddMailboxRequest.fromPartial({
      id: LOCAL_MAILBOX.id, host: mail.imap.host, port: mail.imap.port, tls: false, user: LOCAL_MAILBOX.user,
      // GreenMail's local password, printed by `./dev up` anyway; a real deployment gives a reference (docs/mailbox.md).
      password: { value: LOCAL_MAIL_PASSWORD }, folder: LOCAL_MAILBOX.folder, after: LOCAL_MAILBOX.after,
      pollIntervalSeconds: LOCAL_POLL_SECONDS, replace: true,
    });
    const res = await callUnary<ingestV1.AddMailboxResponse>((md, o, cb) => client.addMailbox(req, md, o, cb), 10_000);
    return res.mailbox;
  } finally {
    client.close();
  }
}

export function describeClusterMailbox(m: ingestV1.Mailbox): string {
  return `mailbox intake: ingest reads ${m.user}'s ${m.folder} over IMAP ${m.host}:${m.port} (IDLE; flags what it took ${m.after?.flag ?? ''}) — ` +
    `try: curl -sT examples/mail/ned-invites-homer.eml --user ${m.user}:${LOCAL_MAIL_PASSWORD} imap://${m.host}:${m.port}/${m.folder}; ./inviteflow mailbox status`;
}
