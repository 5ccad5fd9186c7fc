import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const kustomize = join(process.env['INVITEFLOW_TOOLS'] ?? join(root, '.tools'), 'bin/kustomize');

describe('Kubernetes manifests', () => {
  test('When every overlay and test composition is built with kustomize, then all builds succeed and hold the invariants', async () => {
    expect(existsSync(kustomize)).toBe(true);
    const run = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(process.execPath, [join(root, 'k8s/tests/check.mjs'), kustomize], { timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }));
    });
    expect(run.out).not.toMatch(/FAIL|not ok/i);
    expect(run.code).toBe(0);
  });
});
