import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';

// The Prometheus alert rules (k8s/components/alerts) against their promtool unit tests
// (alerts/rules.test.yml): promtool is built by scripts/setup.sh from its pinned Go module.
const root = join(__dirname, '../..');
const promtool = join(process.env['INVITEFLOW_TOOLS'] ?? join(root, '.tools'), 'bin/promtool');
const ruleFile = join(root, 'k8s/components/alerts/prometheus-rule.yaml');

function run(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(promtool, args, { timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }));
  });
}

/** The PrometheusRule's spec is a Prometheus rule file (`groups:`), as promtool reads it. */
function writeRuleFiles(): string {
  const dir = mkdtempSync(join(tmpdir(), 'inviteflow-alerts-'));
  const rule = YAML.parse(readFileSync(ruleFile, 'utf8')) as { kind: string; spec: { groups: unknown[] } };
  expect(rule.kind).toBe('PrometheusRule');
  writeFileSync(join(dir, 'rules.generated.yml'), YAML.stringify(rule.spec));
  copyFileSync(join(__dirname, 'alerts/rules.test.yml'), join(dir, 'rules.test.yml'));
  return dir;
}

describe('Prometheus alert rules', () => {
  let dir: string;
  beforeAll(() => {
    dir = writeRuleFiles();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('When promtool checks the rule file, then every expression and template is valid', async () => {
    expect(existsSync(promtool)).toBe(true);
    const checked = await run(['check', 'rules', join(dir, 'rules.generated.yml')]);
    expect(checked.out).toMatch(/SUCCESS: 5 rules found/);
    expect(checked.code).toBe(0);
  });

  test('When the unit tests feed series to the rules, then each alert fires when it must and stays quiet when it must not', async () => {
    const tested = await run(['test', 'rules', join(dir, 'rules.test.yml')]);
    expect(tested.out).not.toMatch(/FAILED/);
    expect(tested.out).toMatch(/SUCCESS/);
    expect(tested.code).toBe(0);
  });
});
