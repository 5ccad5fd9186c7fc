import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findWorkspaceRoot } from '@inviteflow/infra';
import { corpusDir } from './corpus.location';

describe('where the real-client corpus is found', () => {
  test('When INVITEFLOW_CORPUS names a directory with a manifest, then that directory is used', () => {
    // Arrange
    const dir = mkdtempSync(join(tmpdir(), 'corpus-'));
    writeFileSync(join(dir, 'MANIFEST.tsv'), 'file\tmethod\twhat_is_special\n');

    // Act / Assert
    expect(corpusDir({ INVITEFLOW_CORPUS: dir })).toBe(dir);
  });

  test('When INVITEFLOW_CORPUS is not set, then it is ../shared/corpus relative to the repository root, or a clear failure', () => {
    // Arrange
    const expected = resolve(findWorkspaceRoot(__dirname), '..', 'shared', 'corpus');

    // Act
    let found: string | Error;
    try {
      found = corpusDir({});
    } catch (err) {
      found = err as Error;
    }

    // Assert: whichever holds on this machine, it concerns the default directory
    if (found instanceof Error) expect(found.message).toContain(expected);
    else expect(found).toBe(expected);
  });

  test('When the corpus is missing, then the failure names the directory and the variable instead of skipping', () => {
    // Arrange
    const missing = join(tmpdir(), 'no-corpus-here');

    // Act / Assert
    expect(() => corpusDir({ INVITEFLOW_CORPUS: missing })).toThrow(
      new RegExp(`the real-client corpus is not at ${missing.replace(/[/\\]/g, '.')} \\(from INVITEFLOW_CORPUS=.*Set INVITEFLOW_CORPUS`),
    );
  });
});
