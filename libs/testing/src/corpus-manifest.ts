// Reads the shared corpus in place (domain.md §6: never copied into the project).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir } from './corpus.location';

export interface CorpusEntry {
  file: string;
  method: string;
  whatIsSpecial: string;
}

/** The MANIFEST.tsv rows (header skipped), one per corpus file. */
export function corpusManifest(): CorpusEntry[] {
  const [header, ...rows] = readFileSync(join(corpusDir(), 'MANIFEST.tsv'), 'utf8').split('\n').filter((l) => l.trim());
  const columns = (header ?? '').split('\t');
  const at = (name: string) => columns.indexOf(name);
  return rows.map((row) => {
    const cells = row.split('\t');
    return { file: cells[at('file')] ?? '', method: cells[at('method')] ?? '', whatIsSpecial: cells[at('what_is_special')] ?? '' };
  });
}

export function corpusBytes(file: string): Buffer {
  return readFileSync(join(corpusDir(), file));
}

export const TEST_CONTEXT = { mailId: 'mail-1', envelopeFrom: 'sender@example.net', envelopeTo: ['homer@example.org'] };
