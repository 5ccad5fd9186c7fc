// Registers the `@inviteflow/*` aliases first: Jest loads global set-up outside its mapper.
import './workspace-aliases';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { provisionInfrastructure } from '../../../infra/src/index';

/**
 * One NATS + MongoDB set per test run (house-style.md §7): NATS_URL / MONGO_URL when set,
 * else containers, else the project's own local builds. Workers inherit the URLs through
 * process.env; each test then uses its own database and stream names.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const infra = await provisionInfrastructure({ purpose: 'test', instance: 'test' });
  process.env['NATS_URL'] = infra.natsUrl;
  process.env['MONGO_URL'] = infra.mongoUrl;
  process.env['INVITEFLOW_TEST_INFRA'] = JSON.stringify(infra.sources);
  (globalThis as { __inviteflowInfra?: typeof infra }).__inviteflowInfra = infra;
  if (process.env['INVITEFLOW_TEST_VERBOSE']) {
    process.stderr.write(`\n[test infra] nats=${infra.sources.nats} mongo=${infra.sources.mongo} in ${Date.now() - started} ms\n`);
  }
}
