// Builds the committed bundles: dist/main/index.js and dist/post/index.js, minified, with licenses.
// `--out DIR` builds elsewhere (tests of work in progress can then run against their own copy).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from '@swc/core';

const at = process.argv.indexOf('--out');
const out = at > 0 ? process.argv[at + 1] : 'dist';
rmSync(out, { recursive: true, force: true });
const ncc = 'node_modules/@vercel/ncc/dist/ncc/cli.js';
for (const [entry, dir] of [
  ['src/index.ts', 'main'],
  ['src/post.ts', 'post'],
]) {
  execFileSync(
    process.execPath,
    [ncc, 'build', entry, '-o', join(out, dir), '--minify', '--license', 'licenses.txt', '--no-source-map-register', '--quiet', '--target', 'es2022'],
    { stdio: 'inherit' },
  );
  // ncc minifies index.js only; its chunks (the lazily loaded STS SDK, @actions/core) would stay as written,
  // and every start compiles them. Same settings as ncc's own pass: no compress, names of functions and classes kept.
  for (const name of readdirSync(join(out, dir)).filter((file) => /^\d+\.index\.js$/.test(file))) {
    const path = join(out, dir, name);
    const { code } = await minify(readFileSync(path, 'utf8'), {
      module: true,
      compress: false,
      mangle: { keep_classnames: true, keep_fnames: true },
      format: { comments: 'some' },
    });
    writeFileSync(path, code);
  }
}
