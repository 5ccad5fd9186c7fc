import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { pipelineStatus } from '@inviteflow/messaging';
import { CliError, EXIT, Output, table } from '../cli-output';

/**
 * `inviteflow status`: streams, durable consumers, pending count, age of the oldest pending
 * message and dead letters. Exit 1 when there are dead letters, so a cron job can alert.
 */
export async function status(natsUrl: string, out: Output): Promise<number> {
  let nc;
  try {
    nc = await connect({ servers: natsUrl, timeout: 3000, maxReconnectAttempts: 0 });
  } catch (err) {
    throw new CliError(`NATS at ${natsUrl} is not answering (${(err as Error).message}); is the cluster up (./dev up)?`, EXIT.unavailable);
  }
  try {
    const s = await pipelineStatus(await jetstreamManager(nc));
    const human = [
      table(['stream', 'messages', 'bytes', 'first', 'last'],
        s.streams.map((x) => [x.name, String(x.messages), String(x.bytes), String(x.firstSeq), String(x.lastSeq)])),
      '',
      table(['consumer', 'pending', 'ack pending', 'redelivered', 'oldest pending'],
        // Object-store reads use short-lived ordered consumers; only durable ones are pipeline stages.
        s.consumers.filter((c) => !c.stream.startsWith('OBJ_')).map((c) => [`${c.stream}/${c.name}`, String(c.numPending), String(c.numAckPending), String(c.numRedelivered), age(c.oldestPendingAgeMs)])),
      '',
      `dead letters: ${s.deadLetters ?? 'no DLQ stream yet'}`,
    ].join('\n');
    out.result(s, human);
    return (s.deadLetters ?? 0) > 0 ? EXIT.partial : EXIT.ok;
  } finally {
    await nc.close();
  }
}

function age(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}
