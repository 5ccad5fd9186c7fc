// eslint-disable-next-line @nx/enforce-module-boundaries
import type { ProvisionedInfra } from '../../../infra/src/index';

export default async function globalTeardown(): Promise<void> {
  const infra = (globalThis as { __inviteflowInfra?: ProvisionedInfra }).__inviteflowInfra;
  await infra?.stop();
}
