// Issue 8, point 3: one 1 GiB DATA stream took ingest from 102 MB to 1.15 GB resident. Ingest
// runs here as a real process (its own memory, not Jest's), bundled from src/main.ts, against a
// NATS server of its own (so the raw-mail bucket holds only what this test sends), and its peak
// resident set (VmHWM) is read from /proc.
// The bound is on growth over the idle process (peak VmHWM − VmRSS before DATA), not on the
// absolute peak: the idle size moves with whatever ingest loads at start (more code, a mailbox
// intake) and the test is about DATA being streamed, not buffered. Buffering would add at least
// the 1 GiB itself; streaming measured 88–107 MiB of growth (socket buffers, the stream's
// chunks and the GC's young generation on a loaded 2-core machine), so 160 MiB keeps a margin
// of 50 MiB and still fails by a factor of six if the body were held.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { RAW_MAIL_BUCKET, STREAMS, SUBJECTS } from '@inviteflow/contracts';
import { provisionInfrastructure, type ProvisionedInfra } from '@inviteflow/infra';
import { connectNats, type NatsHandle, openRawMailStore } from '@inviteflow/messaging';
import { eventsV1 } from '@inviteflow/proto-gen';
import { serviceNatsEnv, testNatsAuth, uniqueSuffix } from '@inviteflow/testing';
import { generatedMessage, SmtpTestClient } from './smtp.test-client';

const ROOT = resolve(__dirname, '../../..');
const MIB = 1024 * 1024;
const MAX_GROWTH_MIB = 160;
const outDir = mkdtempSync(join(tmpdir(), 'ingest-process-'));
const bundle = join(outDir, 'main.js');

let infra: ProvisionedInfra;
let nats: NatsHandle;
let ingest: ChildProcess;
let smtpPort: number;

/** Same bundling as scripts/bundle.mjs: our libraries bundled in, npm packages external. */
function bundleIngest(): void {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  const external = [...Object.keys(pkg['dependencies'] ?? {}), ...Object.keys(pkg['devDependencies'] ?? {})];
  buildSync({
    absWorkingDir: ROOT, entryPoints: [join(ROOT, 'services/ingest/src/main.ts')], outfile: bundle, bundle: true,
    platform: 'node', format: 'cjs', target: 'node24', tsconfig: join(ROOT, 'services/ingest/tsconfig.json'),
    external: external.flatMap((name) => [name, `${name}/*`]), logLevel: 'silent',
  });
}

function ingestEnv(natsUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '', NODE_PATH: join(ROOT, 'node_modules'), NATS_URL: natsUrl, ...serviceNatsEnv('ingest'),
    ACCEPT_DOMAINS: 'example.org', SMTP_PORT: '0', HEALTH_PORT: '0', LOG_LEVEL: 'info', ...extra,
  };
}

/** Starts ingest and resolves with its SMTP port from the `service.started` log line. */
function startIngest(natsUrl: string): Promise<number> {
  ingest = spawn(process.execPath, [bundle], { env: ingestEnv(natsUrl), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((done, fail) => {
    ingest.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    ingest.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const started = /"event":"service.started","ports":\{[^}]*"smtp":(\d+)/.exec(output);
      if (started) done(Number(started[1]));
    });
    ingest.once('exit', (code) => fail(new Error(`ingest exited ${String(code)} before it started:\n${output}`)));
  });
}

/** A field of /proc/<pid>/status in MiB: VmRSS now, VmHWM the peak so far. */
function memoryMib(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
  return Number(/(\d+)\s*kB/.exec(line ?? '')?.[1] ?? Number.NaN) / 1024;
}

beforeAll(async () => {
  bundleIngest();
  infra = await provisionInfrastructure({
    purpose: 'test', instance: `ingest-${uniqueSuffix()}`, healthCheck: false,
    env: { ...process.env, NATS_URL: '', MONGO_URL: process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:1/unused' },
  });
  smtpPort = await startIngest(infra.natsUrl);
  nats = await connectNats({ servers: infra.natsUrl, name: 'ingest-process-test', auth: testNatsAuth() });
}, 60_000);

afterAll(async () => {
  await nats?.drain();
  if (ingest && ingest.exitCode === null) {
    const exited = new Promise((done) => ingest.once('exit', done));
    ingest.kill('SIGTERM');
    await exited;
  }
  await infra?.stop();
  rmSync(outDir, { recursive: true, force: true });
}, 30_000);

describe('ingest as a process', () => {
  test('When a 1 GiB DATA stream is sent, then ingest grows by less than 160 MiB over idle, answers 552 and keeps no partial object', async () => {
    // Arrange
    const client = await SmtpTestClient.connect(smtpPort);
    const idleMib = memoryMib(ingest.pid!, 'VmRSS');
    await client.startData('sender@test.example', 'homer@example.org');

    // Act: 1 GiB generated on the fly from one reused 64 KB block.
    const reply = await client.finishData(generatedMessage(1024 * MIB));
    const peakMib = memoryMib(ingest.pid!, 'VmHWM');
    await client.quit();

    // Assert
    process.stdout.write(`ingest resident set: idle ${idleMib.toFixed(1)} MiB, peak ${peakMib.toFixed(1)} MiB, growth ${(peakMib - idleMib).toFixed(1)} MiB over a 1 GiB DATA stream\n`);
    expect(reply).toMatch(/^552 5\.3\.4 /);
    expect(peakMib - idleMib).toBeLessThan(MAX_GROWTH_MIB);
    const bucketStream = await nats.jsm.streams.info(`OBJ_${RAW_MAIL_BUCKET}`);
    expect(bucketStream.state.messages).toBe(0);
  }, 300_000);

  test('When a normal message is sent, then it gets 250 and the stored bytes and the announced sha256 match what was sent', async () => {
    // Arrange
    const client = await SmtpTestClient.connect(smtpPort);
    const raw = Buffer.concat([...generatedMessage(3 * MIB, '<normal@test.example>')]);
    await client.startData('sender@test.example', 'homer@example.org');

    // Act
    const reply = await client.finishData([raw]);
    await client.quit();

    // Assert
    expect(reply).toMatch(/^250 2\.0\.0 queued as /);
    const mailId = reply.split(' ').at(-1)!;
    const sha256 = createHash('sha256').update(raw).digest('hex');
    const announced = await nats.jsm.streams.getMessage(STREAMS.mail.name, { last_by_subj: SUBJECTS.mailReceivedV1 });
    expect(eventsV1.MailReceived.decode(announced!.data)).toMatchObject({ mailId, sha256, size: raw.length, messageId: '<normal@test.example>' });
    const stored = await (await openRawMailStore(nats.nc)).get(mailId, sha256);
    expect(Buffer.from(stored).equals(raw)).toBe(true);
  }, 60_000);

  test('When an invitation-sized message is sent, then with the default RAW_INLINE_MAX_BYTES its bytes travel in the event and no object is written', async () => {
    // Arrange
    const client = await SmtpTestClient.connect(smtpPort);
    const raw = Buffer.concat([...generatedMessage(6 * 1024, '<small@test.example>')]);
    const objectsBefore = (await nats.jsm.streams.info(`OBJ_${RAW_MAIL_BUCKET}`)).state.messages;
    await client.startData('sender@test.example', 'homer@example.org');

    // Act
    const reply = await client.finishData([raw]);
    await client.quit();

    // Assert
    expect(reply).toMatch(/^250 2\.0\.0 queued as /);
    const mailId = reply.split(' ').at(-1)!;
    const announced = eventsV1.MailReceived.decode((await nats.jsm.streams.getMessage(STREAMS.mail.name, { last_by_subj: SUBJECTS.mailReceivedV1 }))!.data);
    expect(announced).toMatchObject({ mailId, objectName: '', size: raw.length, sha256: createHash('sha256').update(raw).digest('hex') });
    expect(announced.rawInline.equals(raw)).toBe(true);
    expect((await nats.jsm.streams.info(`OBJ_${RAW_MAIL_BUCKET}`)).state.messages).toBe(objectsBefore);
  }, 60_000);

  test('When RAW_INLINE_MAX_BYTES does not fit nats-server\'s max_payload (1 MiB), then ingest does not start and says so', async () => {
    // Act
    const second = spawn(process.execPath, [bundle], { env: ingestEnv(infra.natsUrl, { RAW_INLINE_MAX_BYTES: String(MIB) }), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    second.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    second.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const code = await new Promise<number | null>((done) => second.once('exit', done));

    // Assert
    expect(code).not.toBe(0);
    expect(output).toContain('RAW_INLINE_LIMIT_TOO_LARGE');
    expect(output).toMatch(/nats-server max_payload is 1048576 bytes/);
    expect(output).not.toContain('service.started');
  }, 60_000);
});
