// docs/ARCHITECTURE.md: the modules of src/ import one another without cycles (a cycle makes the order in which
// modules run depend on which one is loaded first), and url.ts, which anything may use, imports nothing of ours.
// Read from the sources: every static `import … from './…'` and `export … from './…'` that is not type-only
// (`import type` is erased by the compiler). Dynamic `import()` runs after loading and is left out.

import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from '../e2e/runner.js';

const SRC = join(ROOT, 'src');
const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.ts'))
  .map((name) => join(SRC, name));

/** The modules of src/ that `file` imports at load time, as paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?\sfrom\s+'(\.{1,2}\/[^']+)'/gm)].map((m) =>
    resolve(dirname(file), m[1].replace(/\.js$/, '.ts')),
  );
}
const graph = new Map(files.map((file) => [file, importsOf(file)]));
const name = (file: string) => relative(SRC, file);

/** Every cycle found by a depth-first walk, each as the chain of module names that closes it. */
function cycles(): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string) => {
    const at = path.indexOf(file);
    if (at >= 0) {
      found.push([...path.slice(at), file].map(name).join(' -> '));
      return;
    }
    if (done.has(file)) return;
    path.push(file);
    for (const dependency of graph.get(file) ?? []) visit(dependency);
    path.pop();
    done.add(file);
  };
  for (const file of files) visit(file);
  return found;
}

describe('imports of src/', () => {
  it('reads the sources: errors.ts imports redact.ts, and config.ts several modules', () => {
    expect(graph.get(join(SRC, 'errors.ts'))?.map(name)).toContain('redact.ts');
    expect(graph.get(join(SRC, 'config.ts'))?.length).toBeGreaterThan(3);
  });

  it('have no cycle', () => {
    expect(cycles()).toEqual([]);
  });

  it('url.ts imports nothing of ours', () => {
    expect(graph.get(join(SRC, 'url.ts'))).toEqual([]);
  });
});
