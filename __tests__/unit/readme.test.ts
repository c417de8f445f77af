// README.md's tables of inputs and outputs are generated from action.yml by scripts/inputs-table.mjs;
// this fails when one of the two changed without the other.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { checkReadme, renderTables, ROOT, updateReadme } from '../../scripts/inputs-table.mjs';

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
};

describe('README.md', () => {
  it('has the inputs and outputs tables that action.yml gives (run `node scripts/inputs-table.mjs` to fix)', () => {
    const { current, expected } = checkReadme(ROOT);
    expect(current).toBe(expected);
  });

  it('stays short enough to read in ten minutes: at most 250 lines', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n').length).toBeLessThanOrEqual(250);
  });

  it('lists every input with its default, and every output', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const [name, spec] of Object.entries(action.inputs)) {
      const fallback = spec.default === undefined ? '' : ` \`${spec.default}\` `;
      expect(readme).toContain(`| \`${name}\` |${fallback || '  '}|`);
    }
    for (const name of Object.keys(action.outputs)) expect(readme).toContain(`| \`${name}\` |`);
  });
});

describe('scripts/inputs-table.mjs', () => {
  const yaml = [
    'inputs:',
    '  plain:',
    '    description: >-',
    '      Folded text',
    '      over two lines, with a | pipe.',
    '  flag:',
    '    description: A flag.',
    "    default: 'false'",
    'outputs:',
    '  out:',
    '    description: The output.',
  ].join('\n');

  it('renders one row per input and output, pipes escaped', () => {
    const { inputs, outputs } = renderTables(yaml);
    expect(inputs.split('\n')).toEqual([
      '| input | default | description |',
      '|---|---|---|',
      '| `plain` |  | Folded text over two lines, with a \\| pipe. |',
      '| `flag` | `false` | A flag. |',
    ]);
    expect(outputs.split('\n')).toEqual(['| output | description |', '|---|---|', '| `out` | The output. |']);
  });

  it('replaces only what lies between the markers, and is idempotent', () => {
    const readme = 'intro\n<!-- inputs:start -->\nstale row\n<!-- inputs:end -->\nmiddle\n<!-- outputs:start -->\n<!-- outputs:end -->\nend\n';
    const once = updateReadme(readme, yaml);
    expect(once.startsWith('intro\n<!-- inputs:start -->\n| input |')).toBe(true);
    expect(once).toContain('<!-- inputs:end -->\nmiddle\n<!-- outputs:start -->\n| output |');
    expect(once.endsWith('| `out` | The output. |\n<!-- outputs:end -->\nend\n')).toBe(true);
    expect(once).not.toContain('stale row');
    expect(updateReadme(once, yaml)).toBe(once);
  });

  it('refuses a README without the markers', () => {
    expect(() => updateReadme('no markers here', yaml)).toThrow('<!-- inputs:start -->');
    expect(() => updateReadme('<!-- inputs:end --><!-- inputs:start -->', yaml)).toThrow('in this order');
  });
});
