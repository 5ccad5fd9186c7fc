import { join } from 'node:path';
import { buildSync } from 'esbuild';

/**
 * Bundles a fixture under test/fixtures into one CommonJS file a child process can run. Only our
 * sources are bundled: dependencies stay external and resolve through NODE_PATH.
 */
export function bundleFixture(fixture: string, outfile: string): void {
  buildSync({
    entryPoints: [join(__dirname, 'fixtures', fixture)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    packages: 'external',
    logLevel: 'silent',
  });
}
