// Liveness, readiness and metrics on one small node:http server, separate from any business
// port so probes keep answering while the service is saturated. Bound to 127.0.0.1 unless told
// otherwise; Kubernetes deployments set HEALTH_HOST=0.0.0.0.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { AppError, RUNTIME_ERROR_CODES } from './app.error';
import type { Logger } from './logger.factory';
import { type Check, type CheckReport, type Checks, DEFAULT_CHECK_TIMEOUT_MS, runChecks } from './readiness.checks';

export interface HealthServerOptions {
  readonly port: number;
  readonly host?: string;
  /** Liveness: false means "restart me". Keep it trivial; never check dependencies here. */
  readonly live?: () => boolean;
  /** Readiness: one check (reported as "ready") or named checks, run in parallel. */
  readonly ready?: Check | Checks;
  readonly registry?: Registry;
  readonly readyTimeoutMs?: number;
  readonly log?: Logger;
}

export interface HealthServer {
  readonly host: string;
  /** The bound port; differs from the requested one when that was 0. */
  readonly port: number;
  /** false during shutdown so load balancers stop routing before connections close. */
  setReady(ready: boolean): void;
  close(): Promise<void>;
}

interface State {
  readonly options: HealthServerOptions;
  readonly checks: Checks;
  accepting: boolean;
}

export const DEFAULT_HEALTH_HOST = '127.0.0.1';

export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const host = options.host ?? DEFAULT_HEALTH_HOST;
  const ready = options.ready ?? {};
  const state: State = { options, checks: typeof ready === 'function' ? { ready } : ready, accepting: true };
  const server = createServer((req, res) => {
    route(state, req, res).catch((err: unknown) => {
      options.log?.error({ err, path: req.url }, 'health server request failed');
      if (!res.headersSent) sendJson(res, 500, { status: 'error' });
      else res.destroy();
    });
  });
  await listen(server, host, options.port);
  let closing: Promise<void> | undefined;
  return {
    host,
    port: (server.address() as AddressInfo).port,
    setReady: (value) => {
      state.accepting = value;
    },
    close: () => {
      state.accepting = false;
      closing ??= closeServer(server);
      return closing;
    },
  };
}

async function route(state: State, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    sendJson(res, 405, { status: 'method-not-allowed' });
    return;
  }
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/healthz') return sendLiveness(state, res);
  if (path === '/readyz') return sendReadiness(state, res);
  if (path === '/metrics' && state.options.registry !== undefined) {
    return sendMetrics(state.options.registry, res);
  }
  sendJson(res, 404, { status: 'not-found' });
}

function sendLiveness(state: State, res: ServerResponse): void {
  let live: boolean;
  try {
    live = state.options.live?.() ?? true;
  } catch (err) {
    state.options.log?.warn({ err }, 'liveness check threw');
    live = false;
  }
  sendJson(res, live ? 200 : 503, { status: live ? 'ok' : 'not-live' });
}

async function sendReadiness(state: State, res: ServerResponse): Promise<void> {
  const report: CheckReport = state.accepting
    ? await runChecks(state.checks, state.options.readyTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS)
    : { ok: false, failed: ['draining'], reasons: { draining: 'shutting down' } };
  if (report.ok) {
    sendJson(res, 200, { status: 'ready' });
    return;
  }
  // debug, not warn: a probe every few seconds during an outage would flood the log.
  state.options.log?.debug({ code: RUNTIME_ERROR_CODES.readinessCheckFailed, ...report }, 'not ready');
  sendJson(res, 503, { status: 'not-ready', failed: report.failed, reasons: report.reasons });
}

async function sendMetrics(registry: Registry, res: ServerResponse): Promise<void> {
  const body = await registry.metrics();
  res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (cause: Error) => {
      reject(
        new AppError({
          code: RUNTIME_ERROR_CODES.healthServerListenFailed,
          message: `Health server cannot listen on ${host}:${port}: ${cause.message}`,
          retryable: false,
          cause,
          details: { host, port },
        }),
      );
    };
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err === undefined ? resolve() : reject(err)));
    // Probes and scrapers keep connections alive; without this close() waits for them.
    server.closeAllConnections();
  });
}
