import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate, ValidationSeverity } from 'dockerfile-utils';
import YAML from 'yaml';

// The service images (issue 14 §5): one Dockerfile per service, linted here with
// dockerfile-utils (the Docker language service's validator) plus the project's own rules.
// No container runtime here: images are built in CI where one exists (docs/kubernetes.md).
const root = join(__dirname, '../..');
const SERVICES = ['identity', 'appointment', 'parser', 'ingest', 'outbound-mail'] as const;

/** A service's SERVICE_NODE_FLAGS, read from the cluster runner's source so the three places stay in step. */
function serviceNodeFlags(service: string): string[] {
  const source = readFileSync(join(root, 'apps/cli/src/cluster/service-catalog.ts'), 'utf8');
  const table = /export const SERVICE_NODE_FLAGS\b[^=]*= \{([^}]*)\};/.exec(source)?.[1];
  const list = table && new RegExp(`^\\s*'?${service}'?: \\[([^\\]]*)\\],$`, 'm').exec(table)?.[1];
  if (!list) throw new Error(`SERVICE_NODE_FLAGS.${service} not found in service-catalog.ts; update this pattern`);
  return [...list.matchAll(/'([^']+)'/g)].map(([, flag]) => flag!);
}

interface Stage { from: string; lines: string[] }

/** Instructions per stage, continuation lines joined, comments dropped. */
function stages(text: string): Stage[] {
  const joined = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const out: Stage[] = [];
  for (const line of joined) {
    if (/^FROM\s/i.test(line)) out.push({ from: line, lines: [] });
    else out.at(-1)?.lines.push(line);
  }
  return out;
}

describe.each(SERVICES)('the %s image', (service) => {
  const file = join(root, 'services', service, 'Dockerfile');
  const text = readFileSync(file, 'utf8');

  test('When the Dockerfile is validated, then the linter reports no error and no warning', () => {
    const problems = validate(text).filter((d) => d.severity === ValidationSeverity.ERROR || d.severity === ValidationSeverity.WARNING);
    expect(problems.map((p) => `${file}:${p.range.start.line + 1} ${p.message}`)).toEqual([]);
  });

  test('When its stages are read, then it is multi-stage on Node 24 and the last stage holds only the bundle and run-time packages, as a non-root user', () => {
    const base = /^ARG NODE_IMAGE=(\S+)$/m.exec(text)?.[1];
    expect(base).toMatch(/^node:24(\.\d+){0,2}-/);
    const all = stages(text);
    expect(all.length).toBeGreaterThanOrEqual(2);
    const last = all.at(-1)!;
    expect(last.from).toMatch(/^FROM \$\{NODE_IMAGE\}/);
    const copies = last.lines.filter((l) => /^(COPY|ADD)\s/i.test(l));
    expect(copies.every((c) => /--from=build\b/.test(c))).toBe(true);
    expect(copies.map((c) => c.split(/\s+/).at(-2))).toEqual(['/src/node_modules', `/src/dist/services/${service}`]);
    const user = last.lines.filter((l) => /^USER\s/i.test(l)).at(-1);
    // Numeric, so the kubelet can check runAsNonRoot; the same uid as the manifests' runAsUser.
    expect(user).toBe('USER 1000:1000');
    expect(last.lines.some((l) => /^RUN\s/i.test(l))).toBe(false);
  });

  test('When the Kubernetes base runs it, then the image name and the bundle path match this Dockerfile', () => {
    const docs = YAML.parseAllDocuments(readFileSync(join(root, 'k8s/base', `${service}.yaml`), 'utf8')).map((d) => d.toJS() as Record<string, unknown>);
    const deployment = docs.find((d) => d['kind'] === 'Deployment') as { spec: { template: { spec: { containers: Array<{ image: string; command: string[]; securityContext: { readOnlyRootFilesystem: boolean; runAsNonRoot: boolean }; resources: { limits: { memory: string } } }> } } } };
    const container = deployment.spec.template.spec.containers[0]!;
    expect(container.image).toBe(`inviteflow/${service}`);
    // The same Node/V8 flags as the local cluster runner (SERVICE_NODE_FLAGS) and the image's CMD.
    const flags = serviceNodeFlags(service);
    expect(flags).toContain('--max-semi-space-size=8');
    expect(container.command).toEqual(['node', ...flags, `dist/services/${service}/main.js`]);
    expect(text).toContain(`CMD ["node", ${flags.map((f) => `"${f}"`).join(', ')}, "dist/services/${service}/main.js"]`);
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true });
    // V8's old space stays within half the pod's memory limit, so the heap is collected long
    // before the kernel's OOM killer would act (service-catalog.ts says why it is capped at all).
    const oldSpaceMiB = Number(/^--max-old-space-size=(\d+)$/.exec(flags.find((f) => f.startsWith('--max-old-space-size=')) ?? '')?.[1]);
    const limitMiB = Number(/^(\d+)Mi$/.exec(container.resources.limits.memory)?.[1]);
    expect(oldSpaceMiB).toBeGreaterThan(0);
    expect(oldSpaceMiB * 2).toBeLessThanOrEqual(limitMiB);
    expect(text).toContain(`COPY --from=build --chown=0:0 /src/dist/services/${service} ./dist/services/${service}`);
    expect(text).toMatch(/^WORKDIR \/app$/m);
  });
});
