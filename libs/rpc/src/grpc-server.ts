import {
  Server, ServerUnaryCall, sendUnaryData, ServiceDefinition, UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { toServiceError } from './grpc-errors';
import { DeniedCallLog, GrpcServerSecurity, guardImplementation, serverCredentials } from './grpc-security';

export interface RpcLogger {
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface GrpcServiceBinding {
  /** Fully qualified service name, used for its grpc.health.v1 status. */
  name: string;
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
}

export interface RunningGrpcServer {
  port: number;
  health: HealthImplementation;
  /** Sets the overall and every service's grpc.health.v1 status (readiness follows it). */
  setServing(serving: boolean): void;
  /** Marks every service NOT_SERVING, waits for in-flight calls up to the bound, then forces. */
  shutdown(timeoutMs: number): Promise<void>;
}

/**
 * Starts a gRPC server that also serves grpc.health.v1. `security` is required so that no
 * server is plaintext by omission: `secure` is TLS (mutual TLS with a client CA) and a caller
 * token checked on every call of `services`; health stays open (no token) for probes.
 */
export async function startGrpcServer(opts: {
  host: string;
  port: number;
  services: GrpcServiceBinding[];
  security: GrpcServerSecurity;
  /** Where refused calls are logged (warn, never the token). */
  log?: DeniedCallLog;
}): Promise<RunningGrpcServer> {
  const { security } = opts;
  const server = new Server({ 'grpc.max_receive_message_length': 8 * 1024 * 1024 });
  const statuses = Object.fromEntries(opts.services.map((s) => [s.name, 'SERVING' as const]));
  const health = new HealthImplementation({ '': 'SERVING', ...statuses });
  health.addToServer(server);
  for (const s of opts.services) {
    const impl = security.mode === 'secure' ? guardImplementation(s.definition, s.implementation, security.callers, opts.log) : s.implementation;
    server.addService(s.definition, impl);
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${opts.host}:${opts.port}`, serverCredentials(security), (err, bound) =>
      err ? reject(err) : resolve(bound),
    ),
  );
  const setServing = (serving: boolean): void => {
    const value = serving ? 'SERVING' : 'NOT_SERVING';
    health.setStatus('', value);
    for (const s of opts.services) health.setStatus(s.name, value);
  };
  const shutdown = (timeoutMs: number): Promise<void> =>
    new Promise((resolve) => {
      setServing(false);
      const timer = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, timeoutMs);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  return { port, health, setServing, shutdown };
}

/**
 * Adapts an async handler to grpc-js: errors become a status plus a stable reason code,
 * and a call whose deadline already passed is not started.
 */
export function unaryHandler<Req, Res>(log: RpcLogger, method: string, fn: (req: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
    if (call.cancelled) return;
    fn(call.request, call).then(
      (res) => callback(null, res),
      (err: unknown) => {
        const serviceError = toServiceError(err);
        log.debug({ method, code: serviceError.code, reason: serviceError.details }, 'rpc failed');
        if (serviceError.code === 13) log.error({ method, err }, 'rpc failed unexpectedly');
        callback(serviceError, null);
      },
    );
  };
}
