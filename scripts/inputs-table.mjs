// Renders the inputs and outputs of action.yml as Markdown tables into README.md, between the
// <!-- inputs:start -->/<!-- inputs:end --> and <!-- outputs:start -->/<!-- outputs:end --> markers.
//
//   node scripts/inputs-table.mjs          rewrite README.md
//   node scripts/inputs-table.mjs --check  exit 1 if README.md is not what the first form would write
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Table cell text: one line, pipes escaped so they do not split the cell. */
function cell(text) {
  return String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\|/g, '\\|');
}

/** A literal value in backticks; a value that holds backticks gets a longer fence. */
function code(value) {
  const text = String(value);
  const fence = text.includes('`') ? '``' : '`';
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${cell(text)}${pad}${fence}`;
}

/**
 * The two tables for the given action.yml text.
 * @param {string} actionYaml
 * @returns {{ inputs: string, outputs: string }}
 */
export function renderTables(actionYaml) {
  const action = parse(actionYaml) ?? {};
  const inputs = Object.entries(action.inputs ?? {});
  const outputs = Object.entries(action.outputs ?? {});
  const inputRows = inputs.map(([name, spec]) => {
    const fallback = spec?.default === undefined || spec.default === '' ? '' : code(spec.default);
    return `| ${code(name)} | ${fallback} | ${cell(spec?.description)} |`;
  });
  const outputRows = outputs.map(([name, spec]) => `| ${code(name)} | ${cell(spec?.description)} |`);
  return {
    inputs: ['| input | default | description |', '|---|---|---|', ...inputRows].join('\n'),
    outputs: ['| output | description |', '|---|---|', ...outputRows].join('\n'),
  };
}

/**
 * README text with the tables between their markers replaced. Throws if a marker pair is missing or out of order.
 * @param {string} readme
 * @param {string} actionYaml
 * @returns {string}
 */
export function updateReadme(readme, actionYaml) {
  const tables = renderTables(actionYaml);
  let out = readme;
  for (const name of /** @type {const} */ (['inputs', 'outputs'])) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (from === -1 || to === -1 || to < from) {
      throw new Error(`README.md needs the markers ${start} and ${end}, in this order.`);
    }
    if (out.indexOf(start, from + 1) !== -1 || out.indexOf(end, to + 1) !== -1) {
      throw new Error(`README.md has the markers ${start} and ${end} more than once.`);
    }
    out = `${out.slice(0, from + start.length)}\n${tables[name]}\n${out.slice(to)}`;
  }
  return out;
}

/**
 * Compares README.md with what updateReadme would write.
 * @param {string} [root] the repository root
 * @returns {{ upToDate: boolean, current: string, expected: string }}
 */
export function checkReadme(root = ROOT) {
  const current = readFileSync(join(root, 'README.md'), 'utf8');
  const expected = updateReadme(current, readFileSync(join(root, 'action.yml'), 'utf8'));
  return { upToDate: current === expected, current, expected };
}

function main(args) {
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    process.stderr.write(`Unknown argument ${unknown[0]}.\nUsage: node scripts/inputs-table.mjs [--check]\n`);
    return 2;
  }
  let result;
  try {
    result = checkReadme();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  if (args.includes('--check')) {
    if (result.upToDate) {
      process.stdout.write('README.md: the inputs and outputs tables match action.yml.\n');
      return 0;
    }
    process.stderr.write('README.md: the inputs/outputs tables differ from action.yml. Run `node scripts/inputs-table.mjs` and commit README.md.\n');
    return 1;
  }
  if (result.upToDate) {
    process.stdout.write('README.md is up to date.\n');
  } else {
    writeFileSync(join(ROOT, 'README.md'), result.expected);
    process.stdout.write('README.md: rewrote the inputs and outputs tables from action.yml.\n');
  }
  return 0;
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  process.exitCode = main(process.argv.slice(2));
}
