import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigSchema, renderConfigTable } from '@inviteflow/runtime';

const DOC = join(__dirname, '../../../docs/configuration.md');

/**
 * docs/configuration.md holds one generated table per service between markers. Returns the
 * table the schema renders and the one in the docs; `UPDATE_DOCS=1` rewrites the docs first.
 */
export function configDocsSection(service: string, schema: ConfigSchema): { expected: string; documented: string | undefined } {
  const expected = renderConfigTable(schema);
  const begin = `<!-- config:${service} -->`;
  const end = `<!-- /config:${service} -->`;
  let doc = readFileSync(DOC, 'utf8');
  if (process.env['UPDATE_DOCS'] === '1') {
    const block = `${begin}\n### ${service}\n\n${expected}\n${end}`;
    const at = doc.indexOf(begin);
    doc = at >= 0 ? doc.slice(0, at) + block + doc.slice(doc.indexOf(end) + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
    writeFileSync(DOC, doc);
  }
  const at = doc.indexOf(begin);
  if (at < 0) return { expected, documented: undefined };
  const section = doc.slice(at, doc.indexOf(end));
  const table = section.slice(section.indexOf('| Variable'));
  return { expected, documented: table.trimEnd() };
}
