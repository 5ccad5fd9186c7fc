// The RSVP endpoint on its own port (node:http: two routes need no framework). GET shows a
// confirmation page and changes nothing; only the POST of its button answers. Mail security
// scanners (Microsoft Safe Links, Gmail's and antivirus link checkers) and mail-client
// prefetchers fetch every link in a message with GET; were GET to answer, the scanner would
// accept (or decline) on the attendee's behalf. GET is a safe method (RFC 9110 §9.2.1): it must
// not have effects the user did not ask for; a form POST needs a person.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '@inviteflow/runtime';
import { handleClick, type ClickDeps } from './rsvp.click';
import { RSVP_PATH } from './rsvp.links';
import { pageOf, type Page } from './rsvp.page';
import { MAX_TOKEN_LENGTH } from './rsvp.token';

export interface RsvpHttpServer {
  port: number;
  close(): Promise<void>;
}

/** The token travels in the URL: it must not leak to other sites, be cached, framed or indexed. */
const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'noindex, nofollow',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

/** The confirmation form posts no fields; anything larger is not ours. */
const MAX_BODY_BYTES = 4096;

function send(res: ServerResponse, page: Page, headOnly = false, extra: Record<string, string> = {}): void {
  res.writeHead(page.status, { ...HEADERS, ...extra, 'content-length': Buffer.byteLength(page.html) });
  res.end(headOnly ? undefined : page.html);
}

/** Reads (and drops) the body, refusing a large one, so the connection stays usable. */
function drain(req: IncomingMessage): Promise<boolean> {
  return new Promise((resolve) => {
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(false);
        req.destroy();
      }
    });
    req.on('end', () => resolve(true));
    req.on('error', () => resolve(false));
  });
}

function tokenOf(url: string | undefined): string | undefined {
  const path = (url ?? '').split('?')[0]!;
  if (!path.startsWith(RSVP_PATH)) return undefined;
  const token = path.slice(RSVP_PATH.length);
  return token && token.length <= MAX_TOKEN_LENGTH && !token.includes('/') ? token : undefined;
}

const plain = (status: number, text: string): Page => ({ status, html: `<!doctype html><title>${status}</title><p>${text}</p>` });

async function route(deps: ClickDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const token = tokenOf(req.url);
  if (!token) return send(res, plain(404, 'Not found.'));
  const action = `${RSVP_PATH}${token}`;
  if (req.method === 'GET' || req.method === 'HEAD') return send(res, pageOf(await handleClick(deps, 'GET', token), action), req.method === 'HEAD');
  if (req.method !== 'POST') return send(res, plain(405, 'Method not allowed.'), false, { allow: 'GET, HEAD, POST' });
  if (!(await drain(req))) return send(res, plain(413, 'Request too large.'));
  send(res, pageOf(await handleClick(deps, 'POST', token), action));
}

export async function startRsvpHttpServer(deps: ClickDeps, host: string, port: number): Promise<RsvpHttpServer> {
  const server = createServer((req, res) => {
    route(deps, req, res).catch((err: unknown) => {
      deps.log.warn({ code: 'RSVP_REQUEST_FAILED', err: (err as Error).message }, 'rsvp request failed');
      if (!res.headersSent) send(res, plain(500, 'Something went wrong; nothing was changed. Please try again.'));
      else res.destroy();
    });
  });
  // Bounds on slow clients (slowloris): a page is one small request.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new AppError({ code: 'RSVP_LISTEN_FAILED', retryable: false, message: `RSVP endpoint cannot listen on ${host}:${port}: ${err.message}`, cause: err })));
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    }),
  };
}
