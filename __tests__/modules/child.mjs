// Runs a snippet against src/ in a Node process of its own, for what the jest process cannot do:
// - trust the emulator's CA: Node reads NODE_EXTRA_CA_CERTS once, at start (node 20 has no API to add a CA later);
// - give a library a temporary home: jest hands the tests a copy of process.env, so os.homedir() (which reads the
//   real environment) never sees a HOME a test sets.
// src/ is compiled with swc, as jest compiles it, into a temporary folder that links to node_modules.
// argv[2]: the body of an async function of `load(path)` (imports a module of src/, e.g. 'http.js'). Prints one JSON
// line: {value} (what the snippet returns) or {error: {name, kind, message}}.

import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transformFileSync } from '@swc/core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SRC = join(ROOT, 'src');
const out = mkdtempSync(join(tmpdir(), 'cac-child-src-'));
try {
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'));
  for (const entry of readdirSync(SRC, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = join(entry.parentPath ?? entry.path, entry.name);
    const target = join(out, relative(SRC, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    const { code } = transformFileSync(file, { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } });
    writeFileSync(target, code);
  }
  const load = (path) => import(pathToFileURL(join(out, path)).href);
  const AsyncFunction = (async () => {}).constructor;
  try {
    console.log(JSON.stringify({ value: await new AsyncFunction('load', process.argv[2])(load) }));
  } catch (error) {
    console.log(JSON.stringify({ error: { name: error.name, kind: error.kind, message: error.message } }));
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
