// Registers the `@inviteflow/*` aliases first: Jest loads global set-up outside its mapper.
import './workspace-aliases';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { infraPaths, provisionInfrastructure, startLocalMailServer, type LocalMailServer } from '../../../infra/src/index';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeMailAuthZone } from '../mail-auth.fixture';

/**
 * One NATS + MongoDB set per test run (house-style.md §7): NATS_URL / MONGO_URL when set,
 * else containers, else the project's own local builds. Workers inherit the URLs through
 * process.env; each test then uses its own database and stream names.
 *
 * The local mail server (GreenMail) starts beside them, at the same time: one JVM, SMTP and
 * IMAP up in ~1 s and its REST API in ~3 s on this 2-core machine, ~115 MB resident (measured),
 * cheaper than a start in every test file that sends or reads mail. Tests share it by using their own addresses (GreenMail creates a mailbox for any
 * address mail arrives for); MAIL_SMTP_URL / MAIL_IMAP_URL set by hand name another server.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const [infraResult, mailResult] = await Promise.allSettled([
    // Authorization on (INVITEFLOW_NATS_AUTH=off, for development only, turns it off): one
    // credential set for the run, shared with every private server (private-nats.ts).
    provisionInfrastructure({ purpose: 'test', instance: 'test' }),
    process.env['MAIL_SMTP_URL'] ? Promise.resolve(undefined) : startLocalMailServer(infraPaths(), { name: 'greenmail-test' }),
  ]);
  if (infraResult.status === 'rejected' || mailResult.status === 'rejected') {
    // One failed: stop the other, so it does not hold its ports until Jest exits.
    if (infraResult.status === 'fulfilled') await infraResult.value.stop();
    if (mailResult.status === 'fulfilled') await mailResult.value?.proc.stop();
    throw infraResult.status === 'rejected' ? infraResult.reason : (mailResult as PromiseRejectedResult).reason;
  }
  const infra = infraResult.value;
  const mail = mailResult.value;
  process.env['NATS_URL'] = infra.natsUrl;
  process.env['MONGO_URL'] = infra.mongoUrl;
  process.env['INVITEFLOW_TEST_INFRA'] = JSON.stringify(infra.sources);
  if (infra.natsCredentials) process.env['INVITEFLOW_NATS_CREDENTIALS_DIR'] = infra.natsCredentials.dir;
  if (mail) {
    process.env['MAIL_SMTP_URL'] = `smtp://${mail.smtp.host}:${mail.smtp.port}`;
    process.env['MAIL_IMAP_URL'] = `imap://${mail.imap.host}:${mail.imap.port}`;
    process.env['MAIL_API_URL'] = mail.apiUrl;
  }
  // Sender authentication (issue 15 pt 4): a parser a test starts (in-process or as a process)
  // answers SPF/DKIM/DMARC from this zone, never the network; enforcement stays on.
  if (!process.env['MAIL_AUTH_DNS']) process.env['MAIL_AUTH_DNS'] = writeMailAuthZone(mkdtempSync(join(tmpdir(), 'inviteflow-mail-auth-')));
  const state = globalThis as { __inviteflowInfra?: typeof infra; __inviteflowMail?: LocalMailServer };
  state.__inviteflowInfra = infra;
  state.__inviteflowMail = mail;
  if (process.env['INVITEFLOW_TEST_VERBOSE']) {
    process.stderr.write(`\n[test infra] nats=${infra.sources.nats} mongo=${infra.sources.mongo} mail=${mail ? 'local' : 'env'} in ${Date.now() - started} ms\n`);
  }
}
