export type Timed<T> =
  | { readonly status: 'fulfilled'; readonly value: T }
  | { readonly status: 'rejected'; readonly reason: unknown }
  | { readonly status: 'timed-out' };

/**
 * Settles `work` or reports a timeout, whichever comes first. Never rejects, and clears its
 * timer so a finished race leaves no handle behind. The abandoned work keeps running; callers
 * use this only where giving up on the answer is acceptable (probes, shutdown budgets).
 */
export async function withTimeout<T>(work: () => T | Promise<T>, timeoutMs: number): Promise<Timed<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Timed<T>>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'timed-out' }), timeoutMs);
  });
  const settled = Promise.resolve()
    .then(work)
    .then(
      (value): Timed<T> => ({ status: 'fulfilled', value }),
      (reason: unknown): Timed<T> => ({ status: 'rejected', reason }),
    );
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
