import { AsyncLocalStorage } from 'node:async_hooks';
import type { CommandStartedEvent, MongoClient } from 'mongodb';

/** Round trips seen during one `measure` call, by command name (`find`, `update`, `getMore`). */
export type RoundTripTally = {
  total: number;
  byCommand: Record<string, number>;
};

export type Measured<T> = { result: T; roundTrips: RoundTripTally };

export type RoundTripCounter = {
  /** Everything since creation or the last reset, across all callers. */
  snapshot(): RoundTripTally;
  reset(): void;
  /**
   * Counts only the commands `work` issues, even while other messages use the same client
   * concurrently: attribution follows the async context (AsyncLocalStorage), not the clock.
   * Nested calls each see their own commands, and the outer one sees the inner's too.
   */
  measure<T>(work: () => Promise<T>): Promise<Measured<T>>;
  /** Stops listening; later commands are not counted. */
  stop(): void;
};

/**
 * Counts database round trips from the driver's command monitoring: every `commandStarted`
 * event is one request and one reply on the wire (a cursor's `getMore` and `killCursors`
 * included). Handshakes and heartbeats are not command events, so they are not counted.
 * Services report the per-message number as a metric; tests assert it (architecture.md,
 * Storage: keep the round trips per message small and known).
 */
export function createRoundTripCounter(client: MongoClient): RoundTripCounter {
  if (!client.options.monitorCommands) {
    throw new TypeError('createRoundTripCounter needs a client created with monitorCommands: true (connectMongo sets it)');
  }
  const context = new AsyncLocalStorage<RoundTripTally[]>();
  let overall = emptyTally();

  const onCommandStarted = (event: CommandStartedEvent): void => {
    add(overall, event.commandName);
    for (const tally of context.getStore() ?? []) add(tally, event.commandName);
  };
  client.on('commandStarted', onCommandStarted);

  return {
    snapshot: () => copyTally(overall),
    reset: () => {
      overall = emptyTally();
    },
    measure: async <T>(work: () => Promise<T>): Promise<Measured<T>> => {
      const tally = emptyTally();
      const chain = [...(context.getStore() ?? []), tally];
      const result = await context.run(chain, work);
      return { result, roundTrips: copyTally(tally) };
    },
    stop: () => {
      client.off('commandStarted', onCommandStarted);
    },
  };
}

function emptyTally(): RoundTripTally {
  return { total: 0, byCommand: {} };
}

function add(tally: RoundTripTally, commandName: string): void {
  tally.total += 1;
  tally.byCommand[commandName] = (tally.byCommand[commandName] ?? 0) + 1;
}

function copyTally(tally: RoundTripTally): RoundTripTally {
  return { total: tally.total, byCommand: { ...tally.byCommand } };
}
