import { SUBJECTS } from '@inviteflow/contracts';
import { openRawMailStreamWriter, publish } from '@inviteflow/messaging';
import { bootService, RunningService, StartOptions } from '@inviteflow/platform';
import type { IngestConfig } from './config';
import { storeAndAnnounce } from './handlers/mail-accepted.handler';
import { startSmtpListener } from './smtp/smtp.listener';
import { smtpSettings } from './smtp/smtp.settings';

/** Wires and starts ingest: the SMTP listener that stores raw mail, then announces it. */
export async function start(config: IngestConfig, options: StartOptions = {}): Promise<RunningService> {
  const kit = await bootService({ service: 'ingest', config, options, nats: (c) => c.natsUrl });
  const { log, nats, metrics } = kit;
  const rawMail = await openRawMailStreamWriter(nats!.nc, { replicas: config.natsStreamReplicas });
  const accepted = metrics.counter({ name: 'inviteflow_mail_accepted_total', help: 'Messages stored and announced' });
  const smtp = await startSmtpListener({
    ...smtpSettings(config), log,
    accept: async (mail) => {
      await storeAndAnnounce(mail, { rawMail, publish: (subject, payload, msgId) => publish(nats!.js, subject, payload, { msgId }) });
      accepted.inc();
    },
  });
  log.info({ domains: config.acceptDomains, subject: SUBJECTS.mailReceivedV1 }, 'accepting mail');
  return kit.started({ smtp: smtp.port }, [{ name: 'smtp-close', run: () => smtp.close(config.shutdownTimeoutMs / 2) }]);
}
