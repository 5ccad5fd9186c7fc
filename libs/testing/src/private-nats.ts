// A nats-server of a test's own: anything that runs a real service uses the real stream names
// (MAIL, INVITE, DLQ, ...), whose subjects would overlap other tests' streams on the run's
// shared server. The MongoDB stays the run's one (each test uses its own database).
import { provisionInfrastructure, type ProvisionedInfra } from '@inviteflow/infra';
import { testMongoUrl, uniqueSuffix } from './test-env';

export function startPrivateNats(name: string): Promise<ProvisionedInfra> {
  return provisionInfrastructure({
    // process.env carries the run's INVITEFLOW_NATS_CREDENTIALS_DIR (global set-up): this server
    // takes the same keys, so testNatsAuth() works on every server of the run.
    purpose: 'test', instance: `${name}-${uniqueSuffix()}`, env: { ...process.env, NATS_URL: '', MONGO_URL: testMongoUrl() },
  });
}
