import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compiledLauncher, standInJvmOptions } from './local-mongo';
import { infraPaths } from './paths';

// The stand-in's launcher is compiled once per content (compiledLauncher) instead of by Java's
// single-file source launcher at every start; and INVITEFLOW_MONGO_JVM_OPTS adds JVM options.

describe('The stand-in launcher', () => {
  let dir: string;
  beforeEach(() => {
    const tools = join(infraPaths().toolsDir, 'mongo-stand-in');
    dir = mkdtempSync(join(tmpdir(), 'stand-in-launcher-'));
    symlinkSync(join(tools, 'lib'), join(dir, 'lib'));
    copyFileSync(join(tools, 'MongoStandIn.java'), join(dir, 'MongoStandIn.java'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('Given a launcher, when compiled twice, then the second reuses the first classes; when its content changes, then it is compiled anew', async () => {
    // Arrange
    const launcher = join(dir, 'MongoStandIn.java');
    const jars = join(dir, 'lib', '*');
    // Act
    const first = await compiledLauncher(dir, launcher, jars);
    const second = await compiledLauncher(dir, launcher, jars);
    appendFileSync(launcher, '\n// changed\n');
    const third = await compiledLauncher(dir, launcher, jars);
    // Assert
    expect(first).toBeDefined();
    expect(existsSync(join(first!, 'MongoStandIn.class'))).toBe(true);
    expect(second).toBe(first);
    expect(third).toBeDefined();
    expect(third).not.toBe(first);
    expect(readdirSync(dir).filter((n) => n.startsWith('.classes-'))).toEqual([]);
  }, 600_000);

  test('Given INVITEFLOW_MONGO_JVM_OPTS with several options, when read, then each is one argument; unset gives none', () => {
    expect(standInJvmOptions({ INVITEFLOW_MONGO_JVM_OPTS: ' -XX:TieredStopAtLevel=1  -XX:StartFlightRecording=filename=/tmp/s.jfr ' })).toEqual([
      '-XX:TieredStopAtLevel=1',
      '-XX:StartFlightRecording=filename=/tmp/s.jfr',
    ]);
    expect(standInJvmOptions({})).toEqual([]);
  });
});
