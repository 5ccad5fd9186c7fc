import { CallOptions, ChannelOptions, credentials, Metadata, ServiceError } from '@grpc/grpc-js';

export const insecure = credentials.createInsecure;

/**
 * Channel options for a target. grpc-js keeps one connection to one address by default
 * (pick_first), so behind a Kubernetes ClusterIP every caller talks to one server pod. With a
 * `dns:///name:port` target (a headless Service) the name resolves to every pod, and
 * round_robin spreads calls over them.
 */
export function channelOptions(target: string): ChannelOptions {
  if (!target.startsWith('dns:')) return {};
  return { 'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }) };
}

/**
 * Every client call has a deadline (architecture.md, gRPC). Usage:
 *   callUnary((md, o, cb) => client.resolveAddresses(req, md, o, cb), 2000)
 */
export function callUnary<Res>(
  invoke: (metadata: Metadata, options: Partial<CallOptions>, callback: (err: ServiceError | null, res: Res) => void) => unknown,
  deadlineMs: number,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    invoke(new Metadata(), { deadline: Date.now() + deadlineMs }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** Waits until a client's channel is connected, or fails after the bound. */
export function waitForReady(client: { waitForReady(deadline: Date, cb: (err?: Error) => void): void }, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) =>
    client.waitForReady(new Date(Date.now() + timeoutMs), (err) => (err ? reject(err) : resolve())),
  );
}
