import { AppError } from '../src/app.error';
import { type HealthServer, type HealthServerOptions, startHealthServer } from '../src/health.server';
import { createMetrics } from '../src/metrics.registry';

const servers: HealthServer[] = [];

async function start(options: Partial<HealthServerOptions> = {}): Promise<{ server: HealthServer; url: string }> {
  const server = await startHealthServer({ port: 0, ...options });
  servers.push(server);
  return { server, url: `http://127.0.0.1:${server.port}` };
}

async function get(url: string): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('health server', () => {
  test('When started on port 0 with defaults, then it binds 127.0.0.1 on a real port and reports live and ready', async () => {
    const { server, url } = await start();

    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(await get(`${url}/healthz`)).toMatchObject({ status: 200, text: '{"status":"ok"}' });
    expect(await get(`${url}/readyz`)).toMatchObject({ status: 200, text: '{"status":"ready"}' });
  });

  test('When live() is false or throws, then /healthz answers 503', async () => {
    const { url: deadUrl } = await start({ live: () => false });
    const { url: brokenUrl } = await start({
      live: () => {
        throw new Error('wedged');
      },
    });

    expect((await get(`${deadUrl}/healthz`)).status).toBe(503);
    expect((await get(`${brokenUrl}/healthz`)).status).toBe(503);
  });

  test('When all named checks pass, then /readyz is 200; when one fails, then 503 names it', async () => {
    let mongoUp = true;
    const { url } = await start({ ready: { nats: () => true, mongo: async () => mongoUp } });

    const healthy = await get(`${url}/readyz`);
    mongoUp = false;
    const degraded = await get(`${url}/readyz`);

    expect(healthy.status).toBe(200);
    expect(degraded.status).toBe(503);
    expect(degraded.type).toContain('application/json');
    expect(JSON.parse(degraded.text)).toEqual({ status: 'not-ready', failed: ['mongo'], reasons: { mongo: 'returned false' } });
  });

  test('When a single ready function is given, then it is reported as "ready"', async () => {
    const { url } = await start({ ready: async () => false });

    const response = await get(`${url}/readyz`);

    expect(response.status).toBe(503);
    expect(JSON.parse(response.text)).toMatchObject({ failed: ['ready'] });
  });

  test('When a check hangs, then /readyz answers 503 within the ~2 s bound and names the check', async () => {
    // Arrange
    let hangAnswered = false;
    const hang = () => new Promise<boolean>((resolve) => setTimeout(() => { hangAnswered = true; resolve(true); }, 10_000).unref());
    const { url } = await start({ ready: { nats: () => true, mongo: hang } });

    // Act
    const response = await get(`${url}/readyz`);

    // Assert: answered at the bound, without waiting for the hanging check
    expect(hangAnswered).toBe(false);
    expect(response.status).toBe(503);
    expect(JSON.parse(response.text)).toEqual({
      status: 'not-ready',
      failed: ['mongo'],
      reasons: { mongo: 'timed out after 2000 ms' },
    });
  });

  test('When setReady(false) is called, then /readyz is 503 "draining" while /healthz stays 200', async () => {
    const { server, url } = await start({ ready: { nats: () => true } });

    server.setReady(false);

    const ready = await get(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toMatchObject({ failed: ['draining'] });
    expect((await get(`${url}/healthz`)).status).toBe(200);
  });

  test('When /metrics is scraped, then it serves default and custom metrics labelled with the service', async () => {
    // Arrange
    const metrics = createMetrics('parser');
    const handled = metrics.counter({ name: 'inviteflow_messages_handled_total', help: 'Handled messages.', labelNames: ['outcome'] });
    handled.inc({ outcome: 'ack' }, 2);
    const { url } = await start({ registry: metrics.registry });

    // Act
    const response = await get(`${url}/metrics`);

    // Assert
    expect(response.status).toBe(200);
    expect(response.type).toContain('text/plain');
    expect(response.text).toMatch(/^nodejs_heap_size_total_bytes\{service="parser"\} \d+/m);
    expect(response.text).toContain('inviteflow_messages_handled_total{outcome="ack",service="parser"} 2');
  });

  test('When an unknown path or method is used, then it answers 404 or 405', async () => {
    const { url } = await start();

    expect((await get(`${url}/nope`)).status).toBe(404);
    expect((await get(`${url}/metrics`)).status).toBe(404); // no registry given
    const post = await fetch(`${url}/healthz`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  test('When the port is taken, then start fails with HEALTH_SERVER_LISTEN_FAILED', async () => {
    const { server } = await start();

    const attempt = startHealthServer({ port: server.port });

    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: 'HEALTH_SERVER_LISTEN_FAILED', retryable: false });
  });

  test('When closed, then close() can be called again and the port refuses connections', async () => {
    const { server, url } = await start();
    await get(`${url}/healthz`); // leaves a keep-alive connection open

    await server.close();
    await server.close();

    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
