// Builds the committed bundles: dist/main/index.js and dist/post/index.js, minified, with licenses.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
const ncc = 'node_modules/@vercel/ncc/dist/ncc/cli.js';
for (const [entry, out] of [['src/index.ts', 'dist/main'], ['src/post.ts', 'dist/post']]) {
  execFileSync(process.execPath, [ncc, 'build', entry, '-o', out, '--minify', '--license', 'licenses.txt', '--no-source-map-register', '--quiet', '--target', 'es2022'], { stdio: 'inherit' });
}
