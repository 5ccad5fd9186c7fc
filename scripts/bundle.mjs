// Bundles one service (or the CLI) into dist/<project>/main.js with esbuild.
// Workspace libraries (@inviteflow/*, via tsconfig paths) are bundled in; npm
// packages stay external and load from node_modules at run time.
import { build } from 'esbuild';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const project = process.argv[2];
if (!project) {
  console.error('usage: node scripts/bundle.mjs <project-root>');
  process.exit(2);
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];

// A worker-thread entry (src/**/*.worker.ts, e.g. the parser's parse.worker.ts) is bundled
// beside main.js as <name>.worker.js, where the service finds it at run time.
const srcDir = join(root, project, 'src');
const workers = existsSync(srcDir)
  ? readdirSync(srcDir, { recursive: true }).map(String).filter((f) => f.endsWith('.worker.ts'))
  : [];
// Extra tools of a project (`node scripts/bundle.mjs apps/cli load`): <project>/<dir>/main.ts
// is bundled beside main.js as <dir>.js (e.g. dist/apps/cli/load.js, what `./dev load` runs).
const tools = process.argv.slice(3);
const entryPoints = [
  { in: join(project, 'src/main.ts'), out: 'main' },
  ...workers.map((file) => ({ in: join(project, 'src', file), out: basename(file, '.ts') })),
  ...tools.map((dir) => ({ in: join(project, dir, 'main.ts'), out: dir })),
];

await build({
  absWorkingDir: root,
  entryPoints,
  outdir: join('dist', project),
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  sourcemap: true,
  tsconfig: join(project, 'tsconfig.json'),
  external: external.flatMap((name) => [name, `${name}/*`]),
  logLevel: 'warning',
});
