// Jest runs TypeScript through swc in-process; a worker thread needs a plain .js file. This
// bundles parse.worker.ts the way scripts/bundle.mjs does for the service, into dist/ (ignored by
// git, and inside the workspace so the npm packages left external still resolve).
import { buildSync } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

export function bundleParseWorker(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];
  const outfile = join(ROOT, 'dist/test-workers', `parse.worker.${process.pid}.js`);
  buildSync({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, 'services/parser/src/bounded/parse.worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    tsconfig: join(ROOT, 'services/parser/tsconfig.json'),
    external: external.flatMap((name) => [name, `${name}/*`]),
    logLevel: 'warning',
  });
  return outfile;
}

// A stand-in worker that answers like parse.worker.ts but spins forever on a message that says
// HANG: the pool's time bound must not depend on the parser ever returning.
const SPINNING_WORKER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (request) => {
  if (Buffer.from(request.raw).toString().includes('HANG')) for (;;) {}
  parentPort.postMessage({ id: request.id, outcome: { kind: 'ignored', reasonCode: 'NO_CALENDAR_CONTENT', detail: 'stand-in' } });
});`;

export function spinningWorkerFile(): string {
  const dir = join(ROOT, 'dist/test-workers');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `spinning.worker.${process.pid}.js`);
  writeFileSync(file, SPINNING_WORKER);
  return file;
}
