// `npm run bench`: the action's steps side by side with what the OIDC flow minimally costs and with the official
// action, on loopback and across an emulated WAN, against the emulator (started in this process, over TLS like the
// real endpoints). Each child is started as the runner starts a step: INPUT_* with the defaults of its action.yml,
// fresh GITHUB_* file-command files, and for those that connect the emulator's CA in NODE_EXTRA_CA_CERTS (bare node
// and the post step run without it, as on a runner: with it, Node 20 builds its CA store at start). Every round runs
// each target once, the order rotated per round; medians with p10-p90 are reported.
//
// Targets (the OIDC flow unless said otherwise):
//   node -e ''          bare Node: start and exit
//   sequential floor    scripts/bench/floor.mjs: token GET, then AssumeRoleWithOIDC on a new connection, 3 keys out
//   overlapped floor    the same, with the STS connection (TCP + TLS) opened while the token is fetched
//   official action     aliyun/configure-aliyun-credentials-action (--official DIR; skipped when absent), pointed
//                       at the emulator by scripts/bench/redirect.cjs
//   this action         dist/main (OIDC, and AccessKey -> AssumeRole), dist/post (nothing to clean up)
// Networks:
//   loopback            straight to the emulator; the token is minted at once
//   wan                 through scripts/bench/delay-proxy.mjs: --rtt to STS, --token-rtt to GitHub's token endpoint
//                       (GitHub is far away too), --token-delay ms to mint the token
//
// The organisation-wide scan (scripts/bench/scale.mjs): list-accounts over 230 members (requests per listing, output
// size), the summary job over 230 Prowler-shaped reports (time), and the burst of 60 scan jobs, each OIDC then
// AssumeRole, against STS flow control of 4 requests a second, under both of the emulator's ways of counting (the
// slowest job against the limit of 120 / 4 = 30 s, and the requests STS saw); --baseline DIR runs the burst with
// another build too: DIR holds its action.yml and dist/ (e.g. `git archive main action.yml dist | tar -x -C DIR`).
//
// A measurement, not a test: it exits 0 even when a budget fails, unless --strict.
//
// node scripts/bench.mjs [--runs 20] [--warmup 2] [--rtt 150] [--token-rtt RTT] [--token-delay 150] [--rss-runs 5]
//                        [--networks loopback,wan|none] [--dist DIR] [--official DIR] [--json FILE] [--strict]
//                        [--scale-runs 1] [--baseline DIR] [--aggregation-findings 500]
// --dist defaults to ACTION_DIST or dist/; --official to OFFICIAL_ACTION_DIR or ../shared/peers/official. The
// children run on the node that runs this script (process.execPath): run it with another node to measure that one.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmulator } from '../emulator/server.js';
import { jobEnv, readStep, ROOT, stepEnv } from '../emulator/step.mjs';
import { startDelayProxy } from './bench/delay-proxy.mjs';
import { countRequests, formatRequests, mean, pad, ratio, sameCounts, sizes, spawnTimed, stats } from './bench/measure.mjs';
import { measureAggregation, measureBurst, measureListing } from './bench/scale.mjs';

const BUDGET = {
  wanVsOfficial: 0.8,
  wanVsOverlappedFloor: 1.15,
  loopbackVsSequentialFloor: 1.3,
  loopbackVsOfficial: 0.9,
  postVsBare: 1.2,
  exitLagMs: 250,
  distBytes: 1.5e6,
  /** The burst's slowest job against the flow-control limit, where refused requests are not counted. */
  burstVsLimit: 1.5,
  /** The summary job over 230 reports. */
  aggregationMs: 60_000,
  /** ListAccounts requests for 230 members: 100 a page. */
  listAccountsRequests: 3,
};
const OIDC_REQUESTS = { 'oidc-token': 1, AssumeRoleWithOIDC: 1 };
/** Strings only Alibaba's STS SDK (or its base package) brings into a bundle. */
const SDK_MARKERS = ['AssumeRoleWithOIDCRequest', 'GetCallerIdentityResponseBody', 'doRPCRequest'];
const HERE = fileURLToPath(new URL('./bench/', import.meta.url));
const FLOOR = join(HERE, 'floor.mjs');
const REDIRECT = join(HERE, 'redirect.cjs');
const TIME = '/usr/bin/time';
const HOW_OFFICIAL = [
  'how the official action was pointed at the emulator: its SDK (@alicloud/credentials, oidc_role_arn) only speaks https to',
  'sts.aliyuncs.com (no endpoint input; only ALIBABA_CLOUD_STS_REGION picks sts.<region>.aliyuncs.com), so it runs as',
  '`node --require scripts/bench/redirect.cjs dist/main/index.js`: the preload sends its tls.connect to sts.aliyuncs.com:443 to the',
  "emulator (or the WAN's STS proxy) and checks the certificate for 127.0.0.1. Its token request goes to ACTIONS_ID_TOKEN_REQUEST_URL",
  "like everyone else's. It runs on this node (it declares node20); INPUT_* from its own action.yml.",
];

const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '2' },
    rtt: { type: 'string', default: '150' },
    'token-rtt': { type: 'string' },
    'token-delay': { type: 'string', default: '150' },
    'rss-runs': { type: 'string', default: '5' },
    networks: { type: 'string', default: 'loopback,wan' },
    dist: { type: 'string', default: process.env.ACTION_DIST ?? join(ROOT, 'dist') },
    official: { type: 'string', default: process.env.OFFICIAL_ACTION_DIR ?? join(ROOT, '..', 'shared', 'peers', 'official') },
    json: { type: 'string' },
    strict: { type: 'boolean', default: false },
    'scale-runs': { type: 'string', default: '1' },
    baseline: { type: 'string' },
    'aggregation-findings': { type: 'string', default: '500' },
  },
});
const runs = Number(opt.runs);
const warmup = Number(opt.warmup);
const rssRuns = existsSync(TIME) ? Number(opt['rss-runs']) : 0;
const rtt = Number(opt.rtt);
const tokenRtt = Number(opt['token-rtt'] ?? opt.rtt);
const tokenDelay = Number(opt['token-delay']);
const wanted = opt.networks === 'none' ? [] : opt.networks.split(',');
const scaleRuns = Number(opt['scale-runs']);
const aggregationFindings = Number(opt['aggregation-findings']);
const dist = resolve(opt.dist);
const officialDir = resolve(opt.official);
const official = existsSync(join(officialDir, 'dist', 'main', 'index.js')) && existsSync(join(officialDir, 'action.yml')) ? officialDir : undefined;
const officialSource = official && existsSync(join(official, 'SOURCE')) ? readFileSync(join(official, 'SOURCE'), 'utf8').trim() : undefined;
const officialVersion = /\((v[\d.]+)\)/.exec(officialSource ?? '')?.[1];
const officialName = officialVersion ? `official action ${officialVersion}` : 'official action';

if (!(runs >= 1) || !(warmup >= 0) || !(rssRuns >= 0)) throw new Error('--runs must be >= 1, --warmup and --rss-runs >= 0');
if (!(rtt >= 0) || !(tokenRtt >= 0) || !(tokenDelay >= 0)) throw new Error('--rtt, --token-rtt and --token-delay are milliseconds >= 0');
if (wanted.some((n) => n !== 'loopback' && n !== 'wan')) throw new Error('--networks takes loopback, wan or both (comma-separated), or none');
if (!(scaleRuns >= 0) || !(aggregationFindings >= 1)) throw new Error('--scale-runs must be >= 0, --aggregation-findings >= 1');
for (const entry of ['main', 'post'])
  if (!existsSync(join(dist, entry, 'index.js'))) throw new Error(`${join(dist, entry, 'index.js')} is missing: build it first (npm run package)`);

const em = await startEmulator({ tls: true });
const emPort = Number(new URL(em.url).port);
const dir = mkdtempSync(join(tmpdir(), 'cac-bench-'));
mkdirSync(join(dir, 'home'));
mkdirSync(join(dir, 'tmp'));
/** @type {{ close(): Promise<void> }[]} */
const proxies = [];
let step = 0;

try {
  const accountId = '1234567890123456';
  const provider = await em.addOidcProvider({ accountId, name: 'github' });
  const oidcRole = await em.addRole({ accountId, name: 'bench-oidc', oidc: { providerArn: provider.arn } });
  const user = await em.addUser({ accountId, name: 'bench-ci' });
  const keyRole = await em.addRole({ accountId, name: 'bench-deploy' });
  // TMPDIR: the official action writes the token to os.tmpdir()/token.
  const env = jobEnv(dir, { TMPDIR: join(dir, 'tmp') });
  // Only the children that connect get the emulator's CA: with NODE_EXTRA_CA_CERTS, Node 20 builds its CA store at
  // start (~20 ms), which a TLS client pays at its first connection anyway, but bare node and the post step never.
  const tlsEnv = { ...env, NODE_EXTRA_CA_CERTS: /** @type {string} */ (em.caFile) };

  /**
   * @typedef {{ name: string, describe: string, stsPort: number, tokenPort: number, tokenDelayMs: number,
   *   stsHalfRttMs: number, tokenHalfRttMs: number }} Network
   * @type {Network[]}
   */
  const networks = [];
  if (wanted.includes('loopback'))
    networks.push({
      name: 'loopback',
      describe: 'loopback: straight to the emulator over TLS; the token is minted at once',
      stsPort: emPort,
      tokenPort: emPort,
      tokenDelayMs: 0,
      stsHalfRttMs: 0,
      tokenHalfRttMs: 0,
    });
  if (wanted.includes('wan')) {
    const sts = await startDelayProxy({ upstreamHost: '127.0.0.1', upstreamPort: emPort, rttMs: rtt });
    const github = await startDelayProxy({ upstreamHost: '127.0.0.1', upstreamPort: emPort, rttMs: tokenRtt });
    proxies.push(sts, github);
    networks.push({
      name: 'wan',
      describe:
        `emulated WAN: STS ${rtt} ms and GitHub's token endpoint ${tokenRtt} ms round trip away (one delay proxy each: a chunk ` +
        `takes half an RTT each way, a connect one RTT, so TCP + TLS 1.3 + one request = 3 RTTs), token minted in ${tokenDelay} ms`,
      stsPort: sts.port,
      tokenPort: github.port,
      tokenDelayMs: tokenDelay,
      stsHalfRttMs: rtt / 2,
      tokenHalfRttMs: tokenRtt / 2,
    });
  }

  /**
   * @typedef {{ name: string, label: string, args: string[], step: () => { env: Record<string, string>, files?: any },
   *   expect: Record<string, number>, exports: boolean }} Target
   * @param {Network} net @returns {Target[]}
   */
  function targetsOf(net) {
    const token = new URL(em.oidcRequestUrl);
    const oidcEnv = {
      ...tlsEnv,
      ACTIONS_ID_TOKEN_REQUEST_URL: `https://127.0.0.1:${net.tokenPort}${token.pathname}${token.search}`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: em.oidcRequestToken,
    };
    const stsEndpoint = `https://127.0.0.1:${net.stsPort}`;
    const oidcInputs = { 'role-to-assume': oidcRole.arn, 'oidc-provider-arn': provider.arn, 'sts-endpoint': stsEndpoint };
    const main = (/** @type {Record<string, string>} */ base, /** @type {Record<string, string>} */ inputs, action = undefined) =>
      stepEnv({ dir, step: ++step, entry: 'main', env: base, inputs, action });
    /** @type {(Target | false)[]} */
    const list = [
      net.name === 'loopback' && { name: 'bare', label: "node -e ''", args: ['-e', ''], step: () => ({ env }), expect: {}, exports: false },
      { name: 'floor-sequential', label: 'sequential floor', args: [FLOOR], step: () => main(oidcEnv, oidcInputs), expect: OIDC_REQUESTS, exports: true },
      {
        name: 'floor-overlapped',
        label: 'overlapped floor',
        args: [FLOOR, '--overlap'],
        step: () => main(oidcEnv, oidcInputs),
        expect: OIDC_REQUESTS,
        exports: true,
      },
      !!official && {
        name: 'official',
        label: officialName,
        args: ['--require', REDIRECT, join(official, 'dist', 'main', 'index.js')],
        step: () =>
          main(
            { ...oidcEnv, BENCH_REDIRECT: `sts.aliyuncs.com:443=127.0.0.1:${net.stsPort}` },
            { 'role-to-assume': oidcRole.arn, 'oidc-provider-arn': provider.arn },
            join(official, 'action.yml'),
          ),
        expect: OIDC_REQUESTS,
        exports: true,
      },
      {
        name: 'main-oidc',
        label: 'this action, OIDC',
        args: [join(dist, 'main', 'index.js')],
        step: () => main(oidcEnv, oidcInputs),
        expect: OIDC_REQUESTS,
        exports: true,
      },
      {
        name: 'main-accesskey-role',
        label: 'this action, AccessKey -> AssumeRole',
        args: [join(dist, 'main', 'index.js')],
        step: () =>
          main(tlsEnv, {
            'access-key-id': user.accessKeyId,
            'access-key-secret': user.accessKeySecret,
            'role-to-assume': keyRole.arn,
            'sts-endpoint': stsEndpoint,
          }),
        expect: { AssumeRole: 1 },
        exports: true,
      },
      // The post step of the runs above: their state is empty, so this is the common "nothing to clean up" post.
      net.name === 'loopback' && {
        name: 'post',
        label: 'this action, post (nothing to clean up)',
        args: [join(dist, 'post', 'index.js')],
        step: () => stepEnv({ dir, step: ++step, entry: 'post', env }),
        expect: {},
        exports: false,
      },
    ];
    return /** @type {Target[]} */ (list.filter(Boolean));
  }

  /** One run of `target`; with `usage`, under /usr/bin/time for peak RSS and CPU (not timed). @param {Network} net @param {Target} target */
  async function once(net, target, usage = false) {
    const { env: childEnv, files } = target.step();
    await em.resetRequests();
    const usageFile = join(dir, `usage-${step}`);
    const command = usage ? TIME : process.execPath;
    const args = usage ? ['-f', '%M %U %S', '-o', usageFile, process.execPath, ...target.args] : target.args;
    const run = await spawnTimed(command, args, childEnv);
    const requests = await em.requests();
    if (run.code !== 0) throw new Error(`${target.label} (${net.name}) exited ${run.code}\n${run.stdout}\n${run.stderr}`);
    if (target.exports && !readStep(files).exported.ALIBABA_CLOUD_ACCESS_KEY_ID?.startsWith('STS.'))
      throw new Error(`${target.label} (${net.name}) exported no STS credentials to GITHUB_ENV\n${run.stdout}\n${run.stderr}`);
    // The client has an answer once it is back through the delay proxy: the emulator's answer time + half an RTT.
    const arrivals = requests.map((r) => r.time + (r.target === 'oidc-token' ? net.tokenHalfRttMs : net.stsHalfRttMs));
    // `%M %U %S`: peak RSS in KB, user and system CPU in seconds.
    const [rssKb, user, system] = usage ? readFileSync(usageFile, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [];
    return {
      wallMs: run.wallMs,
      firstAnswerMs: arrivals.length ? Math.min(...arrivals) - run.spawnedAt : undefined,
      exitLagMs: arrivals.length ? run.exitedAt - Math.max(...arrivals) : undefined,
      requests: requests.map((r) => r.target),
      stderr: run.stderr.trim().split('\n')[0] || undefined,
      rssKb,
      cpuMs: usage ? (user + system) * 1000 : undefined,
    };
  }

  const rotate = (/** @type {Target[]} */ list, /** @type {number} */ by) => list.map((_, i) => list[(i + by) % list.length]);
  /** @type {Record<string, { net: Network, targets: Target[], results: Record<string, any> }>} */
  const measured = {};
  for (const net of networks) {
    await em.setTokenDelay(net.tokenDelayMs);
    const targets = targetsOf(net);
    const results = Object.fromEntries(
      targets.map((t) => [t.name, { wallMs: [], firstAnswerMs: [], exitLagMs: [], requests: [], rssKb: [], cpuMs: [], stderr: undefined }]),
    );
    for (let round = 0; round < warmup; round++) for (const target of rotate(targets, round)) await once(net, target);
    for (let round = 0; round < runs; round++) {
      for (const target of rotate(targets, round)) {
        const r = await once(net, target);
        const into = results[target.name];
        into.wallMs.push(r.wallMs);
        if (r.exitLagMs !== undefined) into.exitLagMs.push(r.exitLagMs);
        if (r.firstAnswerMs !== undefined) into.firstAnswerMs.push(r.firstAnswerMs);
        into.requests.push(r.requests);
        into.stderr ??= r.stderr;
      }
      process.stderr.write(`\r${net.name}: round ${round + 1}/${runs}`);
    }
    // Peak RSS and CPU in separate runs (loopback only), so that the wrapper does not touch the timed ones.
    for (let round = 0; net.name === 'loopback' && round < rssRuns; round++) {
      for (const target of rotate(targets, round)) {
        const r = await once(net, target, true);
        results[target.name].rssKb.push(r.rssKb);
        results[target.name].cpuMs.push(r.cpuMs);
      }
    }
    process.stderr.write('\n');
    measured[net.name] = { net, targets, results };
  }

  // --- figures ---
  const distSizes = sizes(dist);
  const officialSizes = official ? sizes(join(official, 'dist')) : undefined;
  const figures = {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    dist,
    official: official ? { dir: official, source: officialSource } : undefined,
    options: { runs, warmup, rssRuns, rttMs: rtt, tokenRttMs: tokenRtt, tokenDelayMs: tokenDelay },
    /** @type {Record<string, any>} */
    networks: {},
    sizes: { dist: distSizes, official: officialSizes && { total: officialSizes.total } },
    /** @type {{ ok: boolean | undefined, what: string }[]} */
    budget: [],
  };
  const lines = [];
  lines.push(`node ${process.version} (${figures.platform}), ${runs} runs after ${warmup} warm-up rounds, order rotated per round; dist: ${dist}`);
  lines.push('wall = spawn to exit (ms): median and p10-p90; "x NAME" = ratio of medians; 1st answer = ms from spawn to the first answer');
  lines.push('  reaching the child, exit lag = from the last answer reaching it to its exit (medians). Every run is checked: exit 0,');
  lines.push('  STS keys in GITHUB_ENV.');
  if (official) {
    lines.push(`${officialName}: ${official}`);
    if (officialSource) lines.push(`  source: ${officialSource}`);
    lines.push(...HOW_OFFICIAL.map((line) => `  ${line}`));
  } else lines.push(`official action: SKIPPED, nothing at ${officialDir} (--official DIR or OFFICIAL_ACTION_DIR)`);
  if (!existsSync(TIME) && Number(opt['rss-runs']) > 0) lines.push(`no ${TIME}: RSS and CPU not measured`);

  for (const { net, targets, results } of Object.values(measured)) {
    const median = (/** @type {string} */ name) => (results[name]?.wallMs.length ? stats(results[name].wallMs).median : undefined);
    const usage = targets.some((t) => results[t.name].cpuMs.length);
    const bareCpu = results.bare?.cpuMs.length ? mean(results.bare.cpuMs) : undefined;
    const netFigures = { describe: net.describe, /** @type {Record<string, any>} */ targets: {} };
    lines.push('');
    lines.push(`== ${net.describe}`);
    lines.push(
      pad('target', 40) +
        pad('median', 9) +
        pad('p10-p90', 15) +
        pad('x bare', 8) +
        pad('x seq floor', 12) +
        pad('x ovl floor', 12) +
        pad('x official', 11) +
        pad('1st answer', 11) +
        pad('exit lag', 9) +
        (usage ? pad('RSS MB', 8) + pad('CPU ms', 14) : '') +
        'requests/run',
    );
    for (const target of targets) {
      const r = results[target.name];
      const s = stats(r.wallMs);
      const lag = r.exitLagMs.length ? stats(r.exitLagMs) : undefined;
      const first = r.firstAnswerMs.length ? stats(r.firstAnswerMs) : undefined;
      const perRun = countRequests(r.requests);
      const rss = r.rssKb.length ? stats(r.rssKb).median / 1024 : undefined;
      const cpu = r.cpuMs.length ? mean(r.cpuMs) : undefined;
      netFigures.targets[target.name] = {
        label: target.label,
        wallMs: s,
        ratio: {
          bare: median('bare') && s.median / median('bare'),
          sequentialFloor: median('floor-sequential') && s.median / median('floor-sequential'),
          overlappedFloor: median('floor-overlapped') && s.median / median('floor-overlapped'),
          official: median('official') && s.median / median('official'),
        },
        firstAnswerMs: first,
        exitLagMs: lag,
        requestsPerRun: perRun.summary,
        requestsSame: perRun.same,
        rssMb: rss,
        cpuMs: cpu,
        samples: { wallMs: r.wallMs, firstAnswerMs: r.firstAnswerMs, exitLagMs: r.exitLagMs },
      };
      lines.push(
        pad(target.label, 40) +
          pad(s.median.toFixed(1), 9) +
          pad(`${s.p10.toFixed(1)}-${s.p90.toFixed(1)}`, 15) +
          pad(ratio(s.median, median('bare')), 8) +
          pad(ratio(s.median, median('floor-sequential')), 12) +
          pad(ratio(s.median, median('floor-overlapped')), 12) +
          pad(ratio(s.median, median('official')), 11) +
          pad(first ? first.median.toFixed(1) : '-', 11) +
          pad(lag ? lag.median.toFixed(1) : '-', 9) +
          (usage ? pad(rss === undefined ? '-' : rss.toFixed(1), 8) + pad(cpu === undefined ? '-' : `${cpu.toFixed(0)} ${ratio(cpu, bareCpu)}`, 14) : '') +
          formatRequests(perRun.summary) +
          (perRun.same ? '' : ' (varied between runs)'),
      );
    }
    if (usage) lines.push(`RSS (median) and CPU (user+sys, mean, x bare) from ${rssRuns} separate runs under ${TIME} (CPU in 10 ms steps)`);
    for (const target of targets)
      if (results[target.name].stderr) lines.push(`note: ${target.label} writes to stderr: ${results[target.name].stderr.slice(0, 160)}`);
    figures.networks[net.name] = netFigures;
  }

  // --- sizes ---
  const jsBytes = (/** @type {string} */ prefix) =>
    Object.entries(distSizes.files)
      .filter(([f]) => f.startsWith(prefix) && f.endsWith('.js'))
      .reduce((a, [, b]) => a + b, 0);
  lines.push('');
  lines.push(
    `bytes: dist/main JS ${jsBytes('main/')}, dist/post JS ${jsBytes('post/')}, dist/ total ${distSizes.total}` +
      (officialSizes ? `; ${officialName} dist/ total ${officialSizes.total}` : ''),
  );

  // --- the organisation-wide scan ---
  /** @type {Record<string, any>} */
  const scale = {};
  if (scaleRuns > 0) {
    process.stderr.write('organisation scan: list-accounts, the summary job, the burst\n');
    scale.listing = await measureListing({ dist });
    scale.aggregation = await measureAggregation({ accounts: 230, findings: aggregationFindings });
    const builds = [
      { name: 'this build', dist, action: undefined },
      ...(opt.baseline ? [{ name: 'baseline', dist: join(resolve(opt.baseline), 'dist'), action: join(resolve(opt.baseline), 'action.yml') }] : []),
    ];
    scale.bursts = [];
    for (const build of builds) {
      for (const countRefused of [false, true]) {
        for (let run = 0; run < scaleRuns; run++) {
          const burst = await measureBurst({ dist: build.dist, action: build.action, countRefused });
          scale.bursts.push({
            build: build.name,
            model: countRefused ? 'sliding window (refused counted)' : 'token bucket (refused not counted)',
            countRefused,
            ...burst,
          });
          process.stderr.write(
            `  burst ${build.name}, ${countRefused ? 'refused counted' : 'refused not counted'}: ${(burst.slowestMs / 1000).toFixed(1)} s\n`,
          );
        }
      }
    }
    figures.scale = scale;
    const { listing, aggregation } = scale;
    lines.push('');
    lines.push('== organisation-wide scan');
    lines.push(
      `list-accounts: ${listing.members} members, ${listing.listed} accounts listed in ${listing.listAccountsRequests} ListAccounts requests; ` +
        `output ${listing.outputBytes} bytes as GitHub counts it (UTF-16; its limit is 1 MB a job); ${listing.wallMs.toFixed(0)} ms`,
    );
    lines.push(
      `summary job: ${aggregation.accounts} reports of ${aggregation.findings} findings (${(aggregation.bytes / 1e6).toFixed(0)} MB of json-ocsf) in ` +
        `${(aggregation.wallMs / 1000).toFixed(1)} s; job summary ${aggregation.summaryBytes} bytes`,
    );
    lines.push('burst: 60 jobs start together, each OIDC into the management role then AssumeRole into a member; STS flow control 4/s for');
    lines.push('  the management account: 120 requests, limit 30 s. Jobs share this machine (on GitHub each has a runner).');
    lines.push(
      pad('build', 12) +
        pad('flow control', 36) +
        pad('got member credentials', 24) +
        pad('slowest', 10) +
        pad('x limit', 9) +
        pad('median', 9) +
        'STS requests (throttled)',
    );
    for (const b of scale.bursts) {
      lines.push(
        pad(b.build, 12) +
          pad(b.model, 36) +
          pad(`${b.succeeded}/${b.jobs}`, 24) +
          pad(b.succeeded ? `${(b.slowestMs / 1000).toFixed(1)} s` : '-', 10) +
          pad(b.succeeded ? `${(b.slowestMs / b.limitMs).toFixed(2)}x` : '-', 9) +
          pad(b.succeeded ? `${(b.medianMs / 1000).toFixed(1)} s` : '-', 9) +
          `${b.stsRequests} (${b.throttled})` +
          (b.failures.length ? `; first failure: ${b.failures[0].slice(0, 120)}` : ''),
      );
    }
  }

  // --- budgets ---
  lines.push('');
  /** @param {boolean | undefined} ok undefined: not measured in this run */
  const check = (ok, what) => {
    figures.budget.push({ ok, what });
    lines.push(`${ok === undefined ? 'SKIP' : ok ? 'PASS' : 'FAIL'} ${what}`);
  };
  const ratioOf = (/** @type {string} */ net, /** @type {string} */ name, /** @type {string} */ to) => figures.networks[net]?.targets[name]?.ratio[to];
  /** @param {string} net @param {string} to @param {number} budget @param {string} toText */
  const budgetCheck = (net, to, budget, toText) => {
    const value = ratioOf(net, 'main-oidc', to);
    const why = !figures.networks[net] ? `(no ${net} run)` : to === 'official' && !official ? '(no official action)' : '';
    check(
      value === undefined ? undefined : value <= budget,
      `${net}: this action (OIDC) ${value === undefined ? '-' : `${value.toFixed(2)}x`} ${toText} (budget <= ${budget}x) ${why}`.trim(),
    );
  };
  budgetCheck('wan', 'official', BUDGET.wanVsOfficial, `the ${officialName}`);
  budgetCheck('wan', 'overlappedFloor', BUDGET.wanVsOverlappedFloor, 'the overlapped floor');
  budgetCheck('loopback', 'sequentialFloor', BUDGET.loopbackVsSequentialFloor, 'the sequential floor');
  budgetCheck('loopback', 'official', BUDGET.loopbackVsOfficial, `the ${officialName}`);
  const post = ratioOf('loopback', 'post', 'bare');
  check(
    post === undefined ? undefined : post <= BUDGET.postVsBare,
    `post ${post === undefined ? '-' : `${post.toFixed(2)}x`} bare node (budget <= ${BUDGET.postVsBare}x)`,
  );
  for (const [netName, { targets, results }] of Object.entries(measured)) {
    for (const target of targets.filter((t) => t.name.startsWith('main-'))) {
      const perRun = countRequests(results[target.name].requests);
      const ok = perRun.same && sameCounts(perRun.summary, target.expect);
      check(
        ok,
        `${netName}: ${target.label}: ${formatRequests(perRun.summary)}${perRun.same ? '' : ' (varied)'} per run (minimum ${formatRequests(target.expect)})`,
      );
      const lag = stats(results[target.name].exitLagMs);
      check(
        lag.p90 <= BUDGET.exitLagMs,
        `${netName}: ${target.label}: exits ${lag.median.toFixed(1)} ms (p90 ${lag.p90.toFixed(1)}) after the last answer (budget p90 <= ${BUDGET.exitLagMs} ms)`,
      );
    }
  }
  const postText = readdirSync(join(dist, 'post'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(dist, 'post', f), 'utf8'))
    .join('\n');
  const found = SDK_MARKERS.filter((m) => postText.includes(m));
  check(found.length === 0, `dist/post does not contain the STS SDK${found.length ? ` (found ${found.join(', ')})` : ''}`);
  check(distSizes.total <= BUDGET.distBytes, `dist/ total ${(distSizes.total / 1e6).toFixed(2)} MB (budget <= ${BUDGET.distBytes / 1e6} MB)`);
  if (scale.listing) {
    check(
      scale.listing.listAccountsRequests <= BUDGET.listAccountsRequests && scale.listing.listed === scale.listing.members,
      `list-accounts: ${scale.listing.members} members in ${scale.listing.listAccountsRequests} ListAccounts requests (budget <= ${BUDGET.listAccountsRequests})`,
    );
    check(
      scale.aggregation.wallMs <= BUDGET.aggregationMs,
      `summary job: 230 reports in ${(scale.aggregation.wallMs / 1000).toFixed(1)} s (budget <= ${BUDGET.aggregationMs / 1000} s)`,
    );
    for (const b of scale.bursts.filter((/** @type {any} */ b) => b.build === 'this build' && !b.countRefused)) {
      check(
        b.succeeded === b.jobs && b.slowestMs <= BUDGET.burstVsLimit * b.limitMs,
        `burst, refused not counted: ${b.succeeded}/${b.jobs} got member credentials, the slowest ${(b.slowestMs / b.limitMs).toFixed(2)}x the limit (budget <= ${BUDGET.burstVsLimit}x)`,
      );
    }
  }

  process.stdout.write(`${lines.join('\n')}\n`);
  if (opt.json) writeFileSync(opt.json, `${JSON.stringify(figures, null, 2)}\n`);
  if (opt.strict && figures.budget.some((b) => b.ok === false)) process.exitCode = 1;
} finally {
  await Promise.all(proxies.map((p) => p.close()));
  await em.close();
  rmSync(dir, { recursive: true, force: true });
}
