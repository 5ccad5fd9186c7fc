import { Check, runChecks } from '@inviteflow/runtime';

/**
 * Kubernetes probes gRPC services on grpc.health.v1 (house style §9), which knows nothing of
 * NATS or MongoDB by itself. This re-runs the same readiness checks as /readyz on a timer and
 * mirrors the result into the gRPC health status, so both probes say the same thing.
 */
export function followReadiness(
  checks: Record<string, Check>,
  setServing: (serving: boolean) => void,
  intervalMs = 5000,
): { stop(): void; refresh(): Promise<boolean> } {
  let stopped = false;
  const refresh = async (): Promise<boolean> => {
    const report = await runChecks(checks);
    if (!stopped) setServing(report.ok);
    return report.ok;
  };
  const timer = setInterval(() => void refresh(), intervalMs);
  timer.unref();
  return {
    refresh,
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
