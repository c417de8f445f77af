// `npm run bench`: the action's own start-up and exit overhead (the performance budget of docs/ARCHITECTURE.md), measured against the loopback
// emulator running in this process. Each round starts a bare `node -e ''`, the main step in the OIDC flow, the
// main step in the AccessKey + AssumeRole flow, and the post step, one after the other (order rotated per round),
// as the runner starts them: INPUT_* with action.yml's defaults and fresh GITHUB_* file-command files.
// A measurement, not a test: it exits 0 even when a budget fails, unless --strict.
//
// node scripts/bench.mjs [--runs 30] [--warmup 3] [--rss-runs 10] [--dist DIR] [--json FILE] [--strict]
// --dist defaults to ACTION_DIST or dist/. The children run on the node that runs this script (process.execPath):
// run it with another node binary to measure that one (action.yml declares node24).

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator } from '../emulator/server.js';
import { jobEnv, readStep, ROOT, stepEnv } from '../emulator/step.mjs';

const BUDGET = { oidcMain: 1.6, post: 1.2, exitLagMs: 250 };
/** Strings only the STS SDK (or its base package) brings into a bundle. */
const SDK_MARKERS = ['AssumeRoleWithOIDCRequest', 'GetCallerIdentityResponseBody', 'doRPCRequest'];
const OFFICIAL_ACTION_BYTES = 3.2e6;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const runs = Number(option('--runs', '30'));
const warmup = Number(option('--warmup', '3'));
const rssRuns = Number(option('--rss-runs', String(Math.min(10, runs))));
const dist = resolve(option('--dist', process.env.ACTION_DIST ?? join(ROOT, 'dist')));
const jsonFile = option('--json', undefined);
const strict = args.includes('--strict');
if (!(runs >= 1) || !(warmup >= 0) || !(rssRuns >= 0)) throw new Error('--runs must be >= 1, --warmup and --rss-runs >= 0');
for (const entry of ['main', 'post'])
  if (!existsSync(join(dist, entry, 'index.js'))) throw new Error(`${join(dist, entry, 'index.js')} is missing: build it first (npm run package -- --out DIR)`);

const TIME = '/usr/bin/time';
const rssMethod = existsSync(TIME) ? 'time' : 'resourceUsage';

const em = await startEmulator();
const dir = mkdtempSync(join(tmpdir(), 'cac-bench-'));
mkdirSync(join(dir, 'home'));
mkdirSync(join(dir, 'tmp'));
let step = 0;

try {
  const accountId = '1234567890123456';
  const provider = await em.addOidcProvider({ accountId, name: 'github' });
  const oidcRole = await em.addRole({ accountId, name: 'bench-oidc', oidc: { providerArn: provider.arn } });
  const user = await em.addUser({ accountId, name: 'bench-ci' });
  const keyRole = await em.addRole({ accountId, name: 'bench-deploy' });
  const endpoint = `http://${em.stsHost}`;
  const env = jobEnv(dir);
  const oidcEnv = { ...env, ACTIONS_ID_TOKEN_REQUEST_URL: em.oidcRequestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: em.oidcRequestToken };

  /** @type {{ name: string, label: string, script?: string, step: () => { env: Record<string, string>, files?: any }, expect?: Record<string, number> }[]} */
  const targets = [
    { name: 'bare', label: "node -e ''", step: () => ({ env }) },
    {
      name: 'main-oidc',
      label: 'main, OIDC -> AssumeRoleWithOIDC',
      script: join(dist, 'main', 'index.js'),
      step: () =>
        stepEnv({
          dir,
          step: ++step,
          entry: 'main',
          env: oidcEnv,
          inputs: { 'role-to-assume': oidcRole.arn, 'oidc-provider-arn': provider.arn, 'sts-endpoint': endpoint },
        }),
      expect: { 'oidc-token': 1, AssumeRoleWithOIDC: 1 },
    },
    {
      name: 'main-accesskey-role',
      label: 'main, AccessKey -> AssumeRole',
      script: join(dist, 'main', 'index.js'),
      step: () =>
        stepEnv({
          dir,
          step: ++step,
          entry: 'main',
          env,
          inputs: { 'access-key-id': user.accessKeyId, 'access-key-secret': user.accessKeySecret, 'role-to-assume': keyRole.arn, 'sts-endpoint': endpoint },
        }),
      expect: { AssumeRole: 1 },
    },
    {
      // The post step of the runs above: their state is empty, so this is the common "nothing to clean up" post.
      name: 'post',
      label: 'post (nothing to clean up)',
      script: join(dist, 'post', 'index.js'),
      step: () => stepEnv({ dir, step: ++step, entry: 'post', env }),
      expect: {},
    },
  ];

  const results = Object.fromEntries(targets.map((t) => [t.name, { wallMs: [], exitLagMs: [], requests: [], rssKb: [], cpuMs: [], stderr: undefined }]));

  async function once(target, measureRss) {
    const { env: childEnv, files } = target.step();
    await em.resetRequests();
    const nodeArgs = target.script ? [target.script] : ['-e', ''];
    const rssFile = join(dir, `rss-${step}-${target.name}`);
    let command = process.execPath;
    let commandArgs = nodeArgs;
    let extraEnv = {};
    if (measureRss && rssMethod === 'time') {
      command = TIME;
      commandArgs = ['-f', '%M %U %S', '-o', rssFile, process.execPath, ...nodeArgs];
    } else if (measureRss) {
      // No /usr/bin/time: the child reports its own peak RSS and CPU at exit (this preload adds a little to both).
      const report = "const u=process.resourceUsage();writeFileSync(process.env.BENCH_RSS_FILE,[u.maxRSS,u.userCPUTime/1e6,u.systemCPUTime/1e6].join(' '))";
      commandArgs = ['--import', `data:text/javascript,import{writeFileSync}from'node:fs';process.on('exit',()=>{${report}})`, ...nodeArgs];
      extraEnv = { BENCH_RSS_FILE: rssFile };
    }
    const run = await spawnTimed(command, commandArgs, { ...childEnv, ...extraEnv });
    const requests = await em.requests();
    results[target.name].stderr ??= run.stderr.trim().split('\n')[0] || undefined;
    if (run.code !== 0) throw new Error(`${target.label} exited ${run.code}\n${run.stdout}\n${run.stderr}`);
    if (target.name.startsWith('main') && !readStep(files).exported.ALIBABA_CLOUD_ACCESS_KEY_ID)
      throw new Error(`${target.label} exported no credentials\n${run.stdout}`);
    const lastAnswer = Math.max(...requests.map((r) => r.time));
    // `%M %U %S`: peak RSS in KB, user and system CPU in seconds.
    const usage = measureRss ? readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number) : undefined;
    return {
      wallMs: run.wallMs,
      exitLagMs: requests.length ? run.exitedAt - lastAnswer : undefined,
      requests: requests.map((r) => r.target),
      rssKb: usage?.[0],
      cpuMs: usage && (usage[1] + usage[2]) * 1000,
    };
  }

  const rotate = (list, by) => list.map((_, i) => list[(i + by) % list.length]);
  for (let round = 0; round < warmup; round++) for (const target of rotate(targets, round)) await once(target, false);
  for (let round = 0; round < runs; round++) {
    for (const target of rotate(targets, round)) {
      const r = await once(target, false);
      const into = results[target.name];
      into.wallMs.push(r.wallMs);
      if (r.exitLagMs !== undefined) into.exitLagMs.push(r.exitLagMs);
      into.requests.push(r.requests);
    }
    process.stderr.write(`\rround ${round + 1}/${runs}`);
  }
  process.stderr.write('\n');
  // Peak RSS in separate runs, so that the wrapper does not touch the timed ones.
  for (let round = 0; round < rssRuns; round++) {
    for (const target of rotate(targets, round)) {
      const r = await once(target, true);
      results[target.name].rssKb.push(r.rssKb);
      results[target.name].cpuMs.push(r.cpuMs);
    }
  }

  // --- figures ---
  const bare = stats(results.bare.wallMs);
  const figures = {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    dist,
    runs,
    warmup,
    rssRuns,
    rssMethod,
    targets: {},
    sizes: sizes(dist),
    budget: [],
  };
  const lines = [];
  lines.push(`node ${process.version}, ${runs} runs after ${warmup} warm-up rounds, order rotated per round; dist: ${dist}`);
  lines.push(`wall = spawn to exit (ms), the budgeted figure; RSS (median) and CPU (user+sys, mean, x bare) from ${rssRuns} separate runs`);
  lines.push(
    `  under ${rssMethod === 'time' ? '/usr/bin/time -f "%M %U %S" (CPU in 10 ms steps)' : 'a --import preload that reports process.resourceUsage() at exit'}; CPU is steadier than wall on a busy machine`,
  );
  lines.push('');
  lines.push(
    pad('target', 36) +
      pad('median', 9) +
      pad('p10-p90', 15) +
      pad('IQR', 15) +
      pad('x bare', 8) +
      pad('RSS MB', 8) +
      pad('CPU ms', 14) +
      pad('exit lag', 10) +
      'requests/run',
  );
  const bareCpu = mean(results.bare.cpuMs);
  for (const target of targets) {
    const r = results[target.name];
    const s = stats(r.wallMs);
    const lag = r.exitLagMs.length ? stats(r.exitLagMs) : undefined;
    const perRun = countRequests(r.requests);
    const rss = r.rssKb.length ? median(r.rssKb) / 1024 : undefined;
    const cpu = r.cpuMs.length ? mean(r.cpuMs) : undefined;
    const cpuText = cpu === undefined ? '-' : `${cpu.toFixed(1)} x${(cpu / bareCpu).toFixed(2)}`;
    figures.targets[target.name] = {
      label: target.label,
      wallMs: s,
      ratioToBare: s.median / bare.median,
      rssMb: rss,
      cpuMs: cpu,
      cpuRatioToBare: cpu === undefined ? undefined : cpu / bareCpu,
      exitLagMs: lag,
      requestsPerRun: perRun.summary,
      requestsSame: perRun.same,
      samples: { wallMs: r.wallMs, exitLagMs: r.exitLagMs },
    };
    lines.push(
      pad(target.label, 36) +
        pad(s.median.toFixed(1), 9) +
        pad(`${s.p10.toFixed(1)}-${s.p90.toFixed(1)}`, 15) +
        pad(`${s.q1.toFixed(1)}-${s.q3.toFixed(1)}`, 15) +
        pad(`${(s.median / bare.median).toFixed(2)}`, 8) +
        pad(rss === undefined ? '-' : rss.toFixed(1), 8) +
        pad(cpuText, 14) +
        pad(lag ? `${lag.median.toFixed(1)}` : '-', 10) +
        (target.script ? formatRequests(perRun.summary) + (perRun.same ? '' : ' (varied between runs)') : '-'),
    );
  }
  lines.push("exit lag = ms from the emulator's last answer to the child's exit (median)");
  for (const target of targets)
    if (results[target.name].stderr) lines.push(`note: ${target.label} writes to stderr: ${results[target.name].stderr.slice(0, 160)}`);
  lines.push('');
  lines.push('bytes:');
  for (const [file, bytes] of Object.entries(figures.sizes.files)) lines.push(`  ${pad(file, 28)} ${String(bytes).padStart(9)}`);
  lines.push(`  ${pad('main JS total', 28)} ${String(figures.sizes.mainJs).padStart(9)}`);
  lines.push(`  ${pad('dist/ total (with licenses)', 28)} ${String(figures.sizes.total).padStart(9)}`);
  lines.push('');

  const check = (ok, what) => {
    figures.budget.push({ ok, what });
    lines.push(`${ok ? 'PASS' : 'FAIL'} ${what}`);
  };
  const t = figures.targets;
  check(t['main-oidc'].ratioToBare <= BUDGET.oidcMain, `main (OIDC flow) ${t['main-oidc'].ratioToBare.toFixed(2)}x bare node (budget <= ${BUDGET.oidcMain}x)`);
  check(t.post.ratioToBare <= BUDGET.post, `post ${t.post.ratioToBare.toFixed(2)}x bare node (budget <= ${BUDGET.post}x)`);
  for (const target of targets.filter((x) => x.expect)) {
    const perRun = countRequests(results[target.name].requests);
    const ok = perRun.same && sameCounts(perRun.summary, target.expect);
    check(ok, `${target.label}: requests ${formatRequests(perRun.summary)}${perRun.same ? '' : ' (varied)'}, minimum ${formatRequests(target.expect)}`);
  }
  const akRequests = results['main-accesskey-role'].requests.flat();
  check(!akRequests.includes('GetCallerIdentity'), 'no GetCallerIdentity after an assume');
  for (const name of ['main-oidc', 'main-accesskey-role']) {
    const lag = t[name].exitLagMs;
    check(
      lag.p90 <= BUDGET.exitLagMs,
      `${t[name].label}: exits ${lag.median.toFixed(1)} ms (p90 ${lag.p90.toFixed(1)}) after the last answer (budget p90 <= ${BUDGET.exitLagMs} ms; a keep-alive socket would hold it for seconds)`,
    );
  }
  const postText = readdirSync(join(dist, 'post'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(dist, 'post', f), 'utf8'))
    .join('\n');
  const found = SDK_MARKERS.filter((m) => postText.includes(m));
  check(found.length === 0, `dist/post does not contain the STS SDK${found.length ? ` (found ${found.join(', ')})` : ''}`);
  check(
    figures.sizes.total < OFFICIAL_ACTION_BYTES,
    `dist/ total ${(figures.sizes.total / 1e6).toFixed(2)} MB, under the official action's 3.2 MB (${((100 * figures.sizes.total) / OFFICIAL_ACTION_BYTES).toFixed(0)}%)`,
  );

  process.stdout.write(`${lines.join('\n')}\n`);
  if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(figures, null, 2)}\n`);
  if (strict && figures.budget.some((b) => !b.ok)) process.exitCode = 1;
} finally {
  await em.close();
  rmSync(dir, { recursive: true, force: true });
}

/** Runs a child without blocking this process (the emulator keeps serving); wall time from spawn to exit. */
function spawnTimed(command, commandArgs, env) {
  return new Promise((resolveRun, reject) => {
    const started = performance.now();
    const child = spawn(command, commandArgs, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    let exit;
    child.on('exit', (code) => (exit = { code, wallMs: performance.now() - started, exitedAt: Date.now() }));
    child.on('close', () => resolveRun({ ...exit, stdout, stderr }));
  });
}

function sizes(root) {
  const files = {};
  let total = 0;
  let mainJs = 0;
  for (const entry of ['main', 'post']) {
    for (const name of readdirSync(join(root, entry)).sort()) {
      const bytes = statSync(join(root, entry, name)).size;
      total += bytes;
      if (!name.endsWith('.js')) continue;
      files[`${entry}/${name}`] = bytes;
      if (entry === 'main') mainJs += bytes;
    }
  }
  return { files, mainJs, total };
}

function quantile(sorted, q) {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (at - lo);
}
function mean(values) {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
function median(values) {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}
function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p) => quantile(sorted, p);
  return { median: q(0.5), p10: q(0.1), p90: q(0.9), q1: q(0.25), q3: q(0.75), min: sorted[0], max: sorted.at(-1) };
}

/** Per-run request counts by target; `same` when every run made the same requests. */
function countRequests(perRun) {
  const counts = perRun.map((targets) => {
    const c = {};
    for (const t of targets) c[t] = (c[t] ?? 0) + 1;
    return c;
  });
  const key = (c) => JSON.stringify(Object.entries(c).sort());
  return { summary: counts[0] ?? {}, same: counts.every((c) => key(c) === key(counts[0])) };
}
function sameCounts(a, b) {
  return JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
}
function formatRequests(counts) {
  const entries = Object.entries(counts);
  return entries.length ? entries.map(([k, v]) => `${v} ${k}`).join(' + ') : '0';
}
function pad(text, width) {
  return String(text).padEnd(width);
}
