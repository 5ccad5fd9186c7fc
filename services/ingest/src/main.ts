import { SUBJECTS } from '@inviteflow/contracts';
import { openRawMailStore, publish } from '@inviteflow/messaging';
import { bootService } from '@inviteflow/platform';
import { runService } from '@inviteflow/runtime';
import { ingestConfig } from './config';
import { storeAndAnnounce } from './handlers/mail-accepted.handler';
import { startSmtpListener } from './smtp/smtp.listener';

async function main(): Promise<void> {
  const kit = await bootService({ service: 'ingest', schema: ingestConfig, nats: (c) => c.natsUrl });
  const { config, log, nats, metrics } = kit;
  const rawMail = await openRawMailStore(nats!.nc, { replicas: config.natsStreamReplicas });
  const accepted = metrics.counter({ name: 'inviteflow_mail_accepted_total', help: 'Messages stored and announced' });
  const smtp = await startSmtpListener({
    host: config.smtpHost, port: config.smtpPort, hostname: config.smtpHostname, domains: config.acceptDomains,
    maxMessageBytes: config.maxMessageBytes, log,
    accept: async (mail) => {
      await storeAndAnnounce(mail, { rawMail, publish: (subject, payload, msgId) => publish(nats!.js, subject, payload, { msgId }) });
      accepted.inc();
    },
  });
  log.info({ domains: config.acceptDomains, subject: SUBJECTS.mailReceivedV1 }, 'accepting mail');
  await kit.started({ smtp: smtp.port }, [{ name: 'smtp-close', run: () => smtp.close(config.shutdownTimeoutMs / 2) }]);
}

void runService(main, { service: 'ingest' });
