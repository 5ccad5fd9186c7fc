import { SUBJECTS } from '@inviteflow/contracts';
import { checkInlineLimitOnServer, openRawMailStreamWriter, publish } from '@inviteflow/messaging';
import { bootService, RunningService, StartOptions } from '@inviteflow/platform';
import type { IngestConfig } from './config';
import { storeAndAnnounce } from './handlers/mail-accepted.handler';
import { startSmtpListener } from './smtp/smtp.listener';
import { smtpSettings, submissionSettings } from './smtp/smtp.settings';

/** Wires and starts ingest: the SMTP listener that stores raw mail, then announces it. */
export async function start(config: IngestConfig, options: StartOptions = {}): Promise<RunningService> {
  const kit = await bootService({
    service: 'ingest', config, options, nats: (c) => c.natsUrl,
    // Mailbox intake block: ingest has a database only when MONGO_URL is set.
    ...(config.mongoUrl ? { mongo: (c: IngestConfig) => ({ url: c.mongoUrl!, dbName: c.mongoDb }) } : {}),
  });
  const { log, nats, mongo, metrics } = kit;
  // RAW_INLINE_MAX_BYTES must fit one NATS message and the MAIL/DLQ streams: fail fast, not per mail.
  const maxEventBytes = await checkInlineLimitOnServer(nats!, config.rawInlineMaxBytes).catch(async (err: unknown) => {
    await nats!.drain().catch(() => undefined);
    await mongo?.close().catch(() => undefined);
    throw err;
  });
  const rawMail = await openRawMailStreamWriter(nats!.nc, { replicas: config.natsStreamReplicas });
  const accepted = metrics.counter({ name: 'inviteflow_mail_accepted_total', help: 'Messages stored and announced' });
  // Mailbox intake block: with a database, a copy of a mail announced before (SMTP and mailbox
  // copies, a re-scanned mailbox) is recognised by Message-ID + body hash and not announced again.
  const dedupe = mongo ? await (await import('./imap/mail-dedupe')).mailDedupe(mongo.db, nats!.nc, metrics, log) : undefined;
  const announce = {
    rawMail, inlineMaxBytes: config.rawInlineMaxBytes, maxEventBytes,
    publish: (subject: string, payload: Uint8Array, msgId: string) => publish(nats!.js, subject, payload, { msgId }),
    ...(dedupe ? { dedupe } : {}),
  };
  // SMTP refusals by reply code and class: a rising 4xx rate is an alert (k8s/alerts; issue 14 §4).
  const refusals = metrics.counter({ name: 'inviteflow_smtp_refusals_total', help: 'SMTP refusals by reply code and class (4xx, 5xx)', labelNames: ['code', 'class'] });
  const smtp = await startSmtpListener({
    ...smtpSettings(config), log,
    onRefusal: (code) => refusals.inc({ code: String(code), class: `${Math.floor(code / 100)}xx` }),
    accept: async (mail) => {
      await storeAndAnnounce(mail, announce);
      accepted.inc();
    },
  });
  // --- Submission listener (issue 15 pt 3): AUTH required, only when SMTP_SUBMISSION_PORT is set.
  const submissionConfig = submissionSettings(config);
  const submission = submissionConfig ? await startSmtpListener({ ...submissionConfig, log, accept: async (mail) => void (await storeAndAnnounce(mail, announce), accepted.inc()) }) : undefined;
  // --- end submission listener
  // --- Mailbox intake (src/imap): the same store + publish as SMTP, source 'imap:<mailbox id>'.
  // Loaded only when used: an SMTP-only ingest does not carry imapflow and the driver in memory.
  const mailboxes = mongo
    ? await (await import('./imap/mailbox.wiring')).startMailboxIntake({
      db: mongo.db, log, metrics,
      timing: { pollIntervalMs: config.imapPollIntervalMs, retryMinMs: config.imapRetryMinMs, retryMaxMs: config.imapRetryMaxMs },
      maxMessageBytes: config.maxMessageBytes, leaseTtlMs: config.imapLeaseTtlMs,
      accept: async (mail, source) => {
        const ref = await storeAndAnnounce(mail, announce, source);
        if (!ref.duplicateOf) accepted.inc();
      },
    })
    : undefined;
  // --- end mailbox intake
  // --- Mailbox admin (src/grpc): MailboxService on GRPC_PORT, only with mailbox intake on.
  const admin = mongo && mailboxes ? await (await import('./grpc/mailbox-admin.wiring')).startMailboxAdmin(config, { db: mongo.db, intake: mailboxes, log }) : undefined;
  // --- end mailbox admin
  log.info({ domains: config.acceptDomains, subject: SUBJECTS.mailReceivedV1, rawInlineMaxBytes: config.rawInlineMaxBytes }, 'accepting mail');
  return kit.started({ smtp: smtp.port, ...(submission ? { submission: submission.port } : {}), ...(admin ? { grpc: admin.grpc.port } : {}) }, [
    { name: 'smtp-close', run: () => smtp.close(config.shutdownTimeoutMs / 2) },
    ...(submission ? [{ name: 'submission-close', run: () => submission.close(config.shutdownTimeoutMs / 2) }] : []),
    ...(admin ? admin.steps : []),
    ...(mailboxes ? [{ name: 'mailboxes-stop', run: () => mailboxes.stop() }] : []),
  ], {}, admin?.grpc);
}
