// docs/CONSUMERS.md shows the two lists the exporter works from (src/export/variables.ts): what is set, and what is
// cleared. They are written out in the document for readers; this keeps them the same, row by row.
import { readFileSync } from 'node:fs';
import { DIVERTING, EXPORTED } from '../../src/export/variables.js';

const doc = readFileSync(new URL('../../docs/CONSUMERS.md', import.meta.url), 'utf8');

/** The rows of the table between `<!-- consumers:NAME -->` and `<!-- /consumers:NAME -->`, without the header. */
function table(name: string): string[][] {
  const start = doc.indexOf(`<!-- consumers:${name} -->`);
  const end = doc.indexOf(`<!-- /consumers:${name} -->`);
  expect(start).toBeGreaterThan(-1);
  expect(end).toBeGreaterThan(start);
  return doc
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('| '))
    .slice(1)
    .map((line) =>
      line
        .slice(2, -2)
        .split(' | ')
        .map((cell) => cell.trim()),
    );
}

describe('docs/CONSUMERS.md', () => {
  it('lists the variables the action sets, with what they carry and who reads them, as src/export/variables.ts does', () => {
    expect(table('exported')).toEqual(EXPORTED.map(({ name, carries, readBy }) => [`\`${name}\``, carries, readBy]));
  });

  it('lists the variables the action clears, with what each would make a consumer do, as src/export/variables.ts does', () => {
    expect(table('cleared')).toEqual(DIVERTING.map(({ name, diverts }) => [`\`${name}\``, diverts]));
  });

  it('cites a commit for every consumer it describes', () => {
    const sources = doc.slice(doc.indexOf('## Sources'));
    for (const repository of [
      'prowler-cloud/prowler',
      'aliyun/credentials-python',
      'aliyun/credentials-go',
      'aliyun/aliyun-cli',
      'aliyun/terraform-provider-alicloud',
      'hashicorp/terraform',
    ]) {
      expect(sources).toMatch(new RegExp(`\`${repository}\`[^\\n]*\`[0-9a-f]{40}\``));
    }
  });
});
