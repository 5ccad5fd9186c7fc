// Bundles one service (or the CLI) into dist/<project>/main.js with esbuild.
// Workspace libraries (@inviteflow/*, via tsconfig paths) are bundled in; npm
// packages stay external and load from node_modules at run time.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const project = process.argv[2];
if (!project) {
  console.error('usage: node scripts/bundle.mjs <project-root>');
  process.exit(2);
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];

await build({
  absWorkingDir: root,
  entryPoints: [join(project, 'src/main.ts')],
  outfile: join('dist', project, 'main.js'),
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  sourcemap: true,
  tsconfig: join(project, 'tsconfig.json'),
  external: external.flatMap((name) => [name, `${name}/*`]),
  logLevel: 'warning',
});
