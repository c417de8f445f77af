// Builds the committed bundles, dist/main/index.js, dist/post/index.js and dist/list-accounts/index.js, minified, and
// beside each a licenses.txt
// with the license of every package bundled.
// `--out DIR` builds elsewhere (tests of work in progress can then run against their own copy).
//
// Why esbuild with a sideEffects override: `@actions/core` imports its OIDC client (and with it
// `@actions/http-client`, undici and tunnel) and its `platform` module (`@actions/exec`) at the top of core.js,
// though this action calls neither. Their package.json files do not say that the modules are free of side effects,
// so a bundler must keep them, and Node compiles and runs about 480 KB at every start (40-50 ms, measured with
// `npm run bench` and a CPU profile). Declared side-effect free here, only what the action uses is kept.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { build } from 'esbuild';

const SIDE_EFFECT_FREE = ['@actions/core', '@actions/http-client'];

// Why `debug` is replaced: Alibaba's credentials SDK and its HTTP client (httpx) log through the `debug` package,
// which turns itself on from the DEBUG variable: with DEBUG=* (or httpx:*) set for a job, or in a self-hosted
// runner's .env, httpx:body printed every response body, the default chain's AccessKeySecret and SecurityToken
// among them, to stderr and so to the step log, before the action could mask them. No dependency may write to the
// log on its own, so the bundles hold a `debug` that is never enabled, whatever the environment says; the main
// step and the refresh helper run from the same bundle. (Node's own NODE_DEBUG output is not a dependency's.)
const NO_DEBUG = `
function createDebug() {
  const log = () => {};
  log.enabled = false;
  log.namespace = '';
  log.log = log;
  log.extend = () => createDebug();
  log.destroy = () => true;
  return log;
}
createDebug.debug = createDebug;
createDebug.default = createDebug;
createDebug.enable = () => {};
createDebug.disable = () => '';
createDebug.enabled = () => false;
createDebug.names = [];
createDebug.skips = [];
createDebug.formatters = {};
module.exports = createDebug;
`;

/** @type {import('esbuild').Plugin} */
const noDebug = {
  name: 'no-debug',
  setup(b) {
    b.onResolve({ filter: /^debug$/ }, () => ({ path: 'debug', namespace: 'no-debug' }));
    b.onLoad({ filter: /.*/, namespace: 'no-debug' }, () => ({ contents: NO_DEBUG, loader: 'js' }));
  },
};

const at = process.argv.indexOf('--out');
const out = at > 0 ? process.argv[at + 1] : 'dist';
rmSync(out, { recursive: true, force: true });

/** @type {import('esbuild').Plugin} */
const sideEffectFree = {
  name: 'side-effect-free',
  setup(b) {
    const filter = new RegExp(`node_modules[\\\\/](${SIDE_EFFECT_FREE.map((name) => name.replace('/', '[\\\\/]')).join('|')})[\\\\/]`);
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === 'resolving') return undefined;
      const result = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'resolving' });
      if (result.errors.length > 0 || !filter.test(result.path)) return undefined;
      return { ...result, sideEffects: false };
    });
  },
};

// The main bundle is an ES module with its lazily loaded parts (the default chain's SDK, the refresh helper) in
// chunks. The post step is one small CommonJS file: it loads little, and Node 20 starts a CommonJS entry faster
// than an ES module one (about 0.15x of a bare start, measured), so it stays within 1.2x a bare `node` there too.
const BUNDLES = [
  {
    dir: 'main',
    entry: 'src/index.ts',
    type: 'module',
    options: {
      format: 'esm',
      splitting: true,
      // CommonJS packages in the bundle (Alibaba's credentials SDK) call require() for Node's built-ins.
      banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    },
  },
  { dir: 'post', entry: 'src/post.ts', type: 'commonjs', options: { format: 'cjs' } },
  // The second action of the repository (list-accounts/action.yml): one ES module, nothing loaded lazily.
  { dir: 'list-accounts', entry: 'src/list-accounts/index.ts', type: 'module', options: { format: 'esm' } },
];

for (const { dir, entry, type, options } of BUNDLES) {
  const outdir = join(out, dir);
  const result = await build({
    entryPoints: { index: entry },
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    plugins: [noDebug, sideEffectFree],
    ...options,
  });
  writeFileSync(join(outdir, 'package.json'), `{\n  "type": "${type}"\n}\n`);
  const licenses = bundledLicenses(result.metafile);
  if (licenses) writeFileSync(join(outdir, 'licenses.txt'), licenses);
}

/** The license text of each package whose code is in the bundle, as `name@version` followed by the text. */
function bundledLicenses(metafile) {
  const packages = new Map();
  const bundled = Object.values(metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([input]) => input),
  );
  for (const input of new Set(bundled)) {
    const parts = input.split(/[\\/]/);
    const at = parts.lastIndexOf('node_modules');
    if (at < 0) continue;
    const nameParts = parts[at + 1].startsWith('@') ? 2 : 1;
    const root = parts.slice(0, at + 1 + nameParts).join(sep);
    if (!packages.has(root)) packages.set(root, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')));
  }
  return [...packages]
    .sort(([, a], [, b]) => a.name.localeCompare(b.name))
    .map(([root, pkg]) => {
      const file = ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'license', 'LICENCE'].map((name) => join(root, name)).find(existsSync);
      const text = file ? readFileSync(file, 'utf8').trim() : `${pkg.license ?? 'UNKNOWN'} (no license file in the package)`;
      return `${pkg.name}@${pkg.version}\n${pkg.license ?? ''}\n${text}\n`;
    })
    .join('\n');
}
