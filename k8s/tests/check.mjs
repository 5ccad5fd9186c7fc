#!/usr/bin/env node
// Builds every kustomization under k8s/tests/ and k8s/overlays/ and checks invariants on the
// output (invariants.mjs). CI runs it after installing kustomize:
//   node k8s/tests/check.mjs /path/to/kustomize
// Exit 0 when every build succeeds and holds; 1 otherwise; 2 on bad usage or no kustomize.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { checkBuild } from './invariants.mjs';

const K8S = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = resolve(K8S, '..');
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

function kustomizationFile(dir) {
  const name = KUSTOMIZATION_FILES.find((f) => existsSync(join(dir, f)));
  return name ? join(dir, name) : undefined;
}

/** Every directory directly under k8s/tests and k8s/overlays that holds a kustomization. */
function buildTargets() {
  return ['tests', 'overlays'].flatMap((group) =>
    readdirSync(join(K8S, group), { withFileTypes: true })
      .filter((e) => e.isDirectory() && kustomizationFile(join(K8S, group, e.name)))
      .map((e) => ({ dir: join(K8S, group, e.name), group })),
  );
}

/** True when the kustomization, or any kustomization it builds on, uses the component. */
function usesComponent(dir, component, seen = new Set()) {
  const file = kustomizationFile(dir);
  if (!file || seen.has(dir)) return false;
  seen.add(dir);
  const k = YAML.parse(readFileSync(file, 'utf8')) ?? {};
  const refs = [...(k.components ?? []), ...(k.resources ?? [])].map((r) => resolve(dir, r));
  if ((k.components ?? []).some((c) => resolve(dir, c) === join(K8S, 'components', component))) return true;
  return refs.some((r) => existsSync(r) && usesComponent(r, component, seen));
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `14 * DAY_MS`, `2 * 60 * 1000` → milliseconds; the only forms streams.ts uses. */
function evalMs(expr) {
  const value = expr.split('*').reduce((acc, t) => acc * (t.trim() === 'DAY_MS' ? DAY_MS : Number(t.trim())), 1);
  if (!Number.isFinite(value)) throw new Error(`check.mjs cannot read "${expr}" in streams.ts; extend evalMs`);
  return value;
}

/** STREAMS and CONSUMERS from libs/contracts, read from source so a drift fails CI. */
function readContracts() {
  const streamsTs = readFileSync(join(ROOT, 'libs/contracts/src/streams.ts'), 'utf8');
  const subjectsTs = readFileSync(join(ROOT, 'libs/contracts/src/subjects.ts'), 'utf8');
  const dlqPrefix = /DEAD_LETTER_PREFIX = '([^']+)'/.exec(subjectsTs)?.[1];
  const entry = /(\w+): \{ name: '([^']+)', subjects: \[([^\]]*)\], duplicateWindowMs: ([^,]+), maxAgeMs: ([^}]+?) \}/g;
  const streams = [...streamsTs.matchAll(entry)].map(([, key, name, subjects, dup, maxAge]) => ({
    key, name,
    subjects: subjects.split(',').map((s) => s.trim().replace(/^['`]|['`]$/g, '').replace('${DEAD_LETTER_PREFIX}', dlqPrefix)),
    duplicateWindowMs: evalMs(dup),
    maxAgeMs: evalMs(maxAge),
  }));
  const consumers = [...streamsTs.matchAll(/\{ stream: STREAMS\.(\w+)\.name, durable: '([^']+)'/g)].map(([, key, durable]) => ({
    stream: streams.find((s) => s.key === key)?.name, durable,
  }));
  if (streams.length === 0 || consumers.length === 0) throw new Error('check.mjs found no STREAMS/CONSUMERS in streams.ts; update its patterns');
  return { streams, consumers };
}

/**
 * Variables marked secret in docs/configuration.md (its Secret column; the docs-sync unit tests
 * keep it in step with each service's config schema, `secret: true`).
 */
function readSecretVars() {
  const doc = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');
  const names = [...doc.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \| [^|]* \| yes \|/gm)].map(([, name]) => name);
  if (!names.includes('MONGO_URL')) throw new Error('check.mjs found no secret variables in docs/configuration.md; update its pattern');
  return [...new Set(names)];
}

function build(kustomize, dir) {
  const out = execFileSync(kustomize, ['build', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  return YAML.parseAllDocuments(out).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`unparseable output: ${doc.errors[0].message}`);
    return doc.toJSON();
  }).filter(Boolean);
}

function main(argv) {
  const kustomize = argv[2];
  if (!kustomize) {
    console.error('usage: node k8s/tests/check.mjs <path-to-kustomize>');
    return 2;
  }
  let version;
  try {
    version = execFileSync(kustomize, ['version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (err) {
    console.error(`cannot run kustomize at ${kustomize}: ${err.message}`);
    return 2;
  }
  console.log(`kustomize ${version}`);
  const contracts = readContracts();
  const secretVars = readSecretVars();
  let failed = 0;
  for (const { dir, group } of buildTargets()) {
    const label = relative(ROOT, dir);
    let problems;
    let count = 0;
    try {
      const objects = build(kustomize, dir);
      count = objects.length;
      problems = checkBuild(objects, {
        contracts,
        secretVars,
        requireImageTags: group === 'overlays',
        expectNetworkPolicies: usesComponent(dir, 'network-policies'),
      });
    } catch (err) {
      problems = [`build failed: ${String(err.stderr || err.message).trim()}`];
    }
    if (problems.length === 0) {
      console.log(`ok    ${label} (${count} objects)`);
    } else {
      failed += 1;
      console.log(`FAIL  ${label}`);
      for (const p of problems) console.log(`      - ${p}`);
    }
  }
  console.log(failed === 0 ? 'all kustomizations build and hold their invariants' : `${failed} kustomization(s) failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = main(process.argv);
