// Builds the committed bundles: dist/main/index.js and dist/post/index.js, minified, with licenses.
// `--out DIR` builds elsewhere (tests of work in progress can then run against their own copy).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const at = process.argv.indexOf('--out');
const out = at > 0 ? process.argv[at + 1] : 'dist';
rmSync(out, { recursive: true, force: true });
const ncc = 'node_modules/@vercel/ncc/dist/ncc/cli.js';
for (const [entry, dir] of [['src/index.ts', 'main'], ['src/post.ts', 'post']]) {
  execFileSync(process.execPath, [ncc, 'build', entry, '-o', join(out, dir), '--minify', '--license', 'licenses.txt', '--no-source-map-register', '--quiet', '--target', 'es2022'], { stdio: 'inherit' });
}
