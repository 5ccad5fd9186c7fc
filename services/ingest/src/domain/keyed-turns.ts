/**
 * Runs the tasks of one key one after another, in the order they were asked for; tasks of
 * different keys run side by side. Ingest uses it per mail fingerprint: the dedupe look-up,
 * publish and record of one mail form a check-then-act sequence, and two copies of one mail
 * arriving together (grouped into one read, issue 14) must not both see "not announced yet".
 * A task that fails still hands the turn on: the next copy then finds no record and is
 * announced itself, so a failure never loses a mail.
 */
export class KeyedTurns {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key);
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    // `before` only ever resolves (each link is a `mine`), so the chain never rejects.
    const tail = before ? before.then(() => mine) : mine;
    this.tails.set(key, tail);
    try {
      if (before) await before;
      return await task();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with a task running or waiting (for tests: the map must not grow for ever). */
  size(): number {
    return this.tails.size;
  }
}
