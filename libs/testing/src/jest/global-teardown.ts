// eslint-disable-next-line @nx/enforce-module-boundaries
import type { LocalMailServer, ProvisionedInfra } from '../../../infra/src/index';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis as { __inviteflowInfra?: ProvisionedInfra; __inviteflowMail?: LocalMailServer };
  await Promise.all([state.__inviteflowInfra?.stop(), state.__inviteflowMail?.proc.stop()]);
}
