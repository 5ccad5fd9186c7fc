// What Kubernetes' livenessProbe does for a pod (k8s/base/*.yaml: GET /healthz every 10 s; after 3
// failures in a row the kubelet kills the container and restarts it), done by the local cluster
// runner for its processes. A process that is alive but no longer answers — an event loop held
// by a mail the parser works on in its main thread, a deadlock — is not noticed by watching for
// exits alone. `/healthz` is served on the service's event loop, so it fails exactly then.

export interface LivenessPolicy {
  readonly periodMs: number;
  /** One probe's budget. Longer than the pods' 2 s: a local machine shared with builds is slower. */
  readonly timeoutMs: number;
  /** This many failed probes in a row → the process is killed (and restarted as a crash). */
  readonly failureThreshold: number;
}

export const LOCAL_LIVENESS_POLICY: LivenessPolicy = { periodMs: 10_000, timeoutMs: 5_000, failureThreshold: 3 };

/** One probe: undefined when the service answered 2xx within `timeoutMs`, else why not. */
export type LivenessProbe = (url: string, timeoutMs: number) => Promise<string | undefined>;

export const httpLivenessProbe: LivenessProbe = async (url, timeoutMs) => {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.ok ? undefined : `HTTP ${res.status}`;
  } catch (err) {
    return (err as Error).message || String(err);
  }
};

/** `/healthz did not answer 3 times in a row (every 10.0 s, 5.0 s timeout; last: …)`. */
export function describeUnresponsive(policy: LivenessPolicy, lastError: string): string {
  const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  return `unresponsive: /healthz failed ${policy.failureThreshold} times in a row (every ${s(policy.periodMs)}, ${s(policy.timeoutMs)} timeout; last: ${lastError}), killed with SIGKILL`;
}

/**
 * Probes `url` every `periodMs` (the next probe starts a period after the last one ended, so a
 * slow answer never stacks probes) and calls `onDead` once, after `failureThreshold` failures
 * in a row; a success resets the count. Returns the function that stops watching.
 */
export function watchLiveness(opts: {
  url: string; policy: LivenessPolicy; onDead: (how: string) => void; probe?: LivenessProbe;
}): () => void {
  const probe = opts.probe ?? httpLivenessProbe;
  let failures = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => void once(), opts.policy.periodMs);
    timer.unref();
  };
  const once = async (): Promise<void> => {
    const failed = await probe(opts.url, opts.policy.timeoutMs);
    failures = failed === undefined ? 0 : failures + 1;
    if (failed !== undefined && !stopped && failures >= opts.policy.failureThreshold) {
      stopped = true;
      opts.onDead(describeUnresponsive(opts.policy, failed));
      return;
    }
    schedule();
  };
  schedule();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
