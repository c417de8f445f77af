// The composite example in examples/prowler-alibabacloud: its findings summary, run as a child process over reports
// written in Prowler's json-ocsf shape, and its action.yml, parsed, with the bash of its steps run against a stub
// `prowler` that records its command line.
//
// The report shape follows Prowler's writer, prowler/lib/outputs/ocsf/ocsf.py in github.com/prowler-cloud/prowler
// @ 0d9f397bba1104998715cc351e08ac0246c80a6d: status_code (PASS/FAIL/MANUAL), status ("New", "Suppressed" when
// muted), severity and severity_id (py-ocsf-models SeverityID), metadata.event_code (check ID),
// finding_info.title, resources[] with uid, name, region and group.name (the service).

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startEmulator } from '../../emulator/server.js';
import type { Emulator } from '../../emulator/types.js';
import { finding as ocsfFinding } from '../../scripts/bench/prowler-reports.mjs';
import { PROWLER_VERSION } from '../../scripts/test-tools.mjs';
import { COMPOSITE_SKIP_REASON, prowlerProxy, tool } from '../consumers/consumers.js';
import { findLeaks, newJob, oidcJobEnv, ROOT, runNode } from '../e2e/runner.js';

const EXAMPLE = join(ROOT, 'examples/prowler-alibabacloud');
const SCRIPT = join(EXAMPLE, 'summarize-findings.mjs');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'prowler-composite-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** One finding the way OCSF.transform writes it, in the account the reports are named after. */
const finding = (f: Omit<Parameters<typeof ocsfFinding>[0], 'account'>) => ocsfFinding({ account: '1234567890123456', ...f });

function writeReport(findings: unknown[] | string, name = 'prowler-output-1234567890123456-20260101000000.ocsf.json'): string {
  const file = join(dir, name);
  writeFileSync(file, typeof findings === 'string' ? findings : JSON.stringify(findings, null, 4));
  return file;
}

/** Runs the script with a fresh GITHUB_STEP_SUMMARY file (or none), as the composite's steps do. */
async function summarize(args: string[], { stepSummary = true } = {}) {
  const summaryFile = join(dir, 'step-summary.md');
  const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
  if (stepSummary) env.GITHUB_STEP_SUMMARY = summaryFile;
  writeFileSync(summaryFile, '');
  const result = await runNode(SCRIPT, env, args);
  return { ...result, summary: readFileSync(summaryFile, 'utf8') };
}

const MIXED = [
  finding({ status: 'FAIL', severity: 'Critical', check: 'ram_no_root_access_key', service: 'ram', resource: 'acs:ram::1234567890123456:root' }),
  ...['alice', 'bob', 'carol'].map((user) =>
    finding({
      status: 'FAIL',
      severity: 'High',
      check: 'ram_user_mfa_enabled_console_access',
      service: 'ram',
      resource: `acs:ram::1234567890123456:user/${user}`,
    }),
  ),
  ...['logs', 'site'].map((bucket) =>
    finding({ status: 'FAIL', severity: 'High', check: 'oss_bucket_not_publicly_accessible', service: 'oss', resource: `acs:oss:*:*:${bucket}` }),
  ),
  finding({ status: 'FAIL', severity: 'Medium', check: 'oss_bucket_logging_enabled', service: 'oss', resource: 'acs:oss:*:*:site' }),
  finding({ status: 'FAIL', severity: 'Low', check: 'ecs_instance_public_ip', service: 'ecs', resource: 'i-bp1' }),
  // Not counted: passed, manual, and a muted failure (Prowler does not exit 3 for muted findings either).
  finding({ status: 'PASS', severity: 'Critical', check: 'ram_no_root_access_key', service: 'ram', resource: 'acs:ram::1234567890123456:root-2' }),
  finding({ status: 'MANUAL', severity: 'Medium', check: 'ecs_instance_latest_os_patches_applied', service: 'ecs', resource: 'i-bp2' }),
  finding({ status: 'FAIL', severity: 'Critical', check: 'ecs_instance_public_ip', service: 'ecs', resource: 'i-bp3', muted: true }),
];

describe('summarize-findings.mjs: the job summary', () => {
  it('counts failed findings by severity and by service, and lists the top checks with their resources', async () => {
    writeReport(MIXED);
    const { code, stdout, stderr, summary } = await summarize([dir]);
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(summary).toContain('**8 failed**, 1 passed, 1 manual, 1 failed but muted (not counted) — 11 findings in all.');

    const table = (heading: string) => summary.split(`### ${heading}`)[1].split('\n\n')[1].trimEnd().split('\n');
    expect(table('Failed findings by severity')).toEqual([
      '| Severity | Failed findings | Checks |',
      '|---|---:|---:|',
      '| critical | 1 | 1 |',
      '| high | 5 | 2 |',
      '| medium | 1 | 1 |',
      '| low | 1 | 1 |',
      '| informational | 0 | 0 |',
    ]);
    expect(table('Failed findings by service')).toEqual([
      '| Service | critical | high | medium | low | informational | Total |',
      '|---|---:|---:|---:|---:|---:|---:|',
      '| ram | 1 | 3 | 0 | 0 | 0 | 4 |',
      '| oss | 0 | 2 | 1 | 0 | 0 | 3 |',
      '| ecs | 0 | 0 | 0 | 1 | 0 | 1 |',
    ]);
    expect(summary).toContain('### Top failing checks (5 of 5)');
    expect(table('Top failing checks (5 of 5)')).toEqual([
      '| Check | Title | Severity | Service | Failed resources |',
      '|---|---|---|---|---:|',
      '| ram_no_root_access_key | Ensure ram no root access key | critical | ram | 1 |',
      '| ram_user_mfa_enabled_console_access | Ensure ram user mfa enabled console access | high | ram | 3 |',
      '| oss_bucket_not_publicly_accessible | Ensure oss bucket not publicly accessible | high | oss | 2 |',
      '| oss_bucket_logging_enabled | Ensure oss bucket logging enabled | medium | oss | 1 |',
      '| ecs_instance_public_ip | Ensure ecs instance public ip | low | ecs | 1 |',
    ]);
  });

  it('shows at most ten checks, highest severity first', async () => {
    writeReport(
      Array.from({ length: 12 }, (_, i) =>
        finding({
          status: 'FAIL',
          severity: i === 11 ? 'Critical' : 'Low',
          check: `ecs_check_${String(i).padStart(2, '0')}`,
          service: 'ecs',
          resource: `i-${i}`,
        }),
      ),
    );
    const { summary } = await summarize([dir]);
    expect(summary).toContain('### Top failing checks (10 of 12)');
    const rows = summary
      .split('### Top failing checks')[1]
      .split('\n')
      .filter((line) => line.startsWith('| ecs_check_'));
    expect(rows).toHaveLength(10);
    expect(rows[0]).toMatch(/^\| ecs_check_11 \|/);
  });

  it('keeps Markdown and HTML in finding text from breaking the table', async () => {
    const title = 'Bucket | <img src=x onerror=alert(1)> `code`\nsecond line & more';
    writeReport([finding({ status: 'FAIL', severity: 'High', check: 'oss_bucket_not_publicly_accessible', service: 'oss|<b>', resource: 'b', title })]);
    const { summary } = await summarize([dir]);
    const row = summary.split('\n').find((line) => line.startsWith('| oss_bucket_not_publicly_accessible'));
    expect(row).toBe(
      '| oss_bucket_not_publicly_accessible | Bucket &#124; &lt;img src=x onerror=alert(1)&gt; &#96;code&#96; second line &amp; more | high | oss&#124;&lt;b&gt; | 1 |',
    );
    expect(summary).not.toMatch(/<img|<b>|`code`/);
  });

  it('says so when the report has no findings, or no failed ones', async () => {
    writeReport([]);
    expect((await summarize([dir])).summary).toContain('The report has no findings');

    writeReport([finding({ status: 'PASS', severity: 'High', check: 'ram_no_root_access_key', service: 'ram', resource: 'root' })]);
    const { code, summary } = await summarize([dir]);
    expect(code).toBe(0);
    expect(summary).toContain('**0 failed**, 1 passed');
    expect(summary).toContain('No failed checks.');
    expect(summary).not.toContain('###');
  });

  it('names the glob it looked for when there is no report, without failing the step', async () => {
    const outputDir = join(dir, 'prowler-alibabacloud');
    mkdirSync(outputDir);
    const { code, stderr, summary } = await summarize([outputDir]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(summary).toContain(`No Prowler report found: looked for ${outputDir}/*.ocsf.json.`);

    // The directory does not exist when the scan never ran (the credentials step failed, say).
    const neverCreated = join(dir, 'never-created');
    expect((await summarize([neverCreated])).summary).toContain(`looked for ${neverCreated}/*.ocsf.json.`);

    const missingFile = join(dir, 'nowhere.ocsf.json');
    expect((await summarize([missingFile])).summary).toContain(`looked for ${missingFile}.`);
  });

  it('prints to stdout when GITHUB_STEP_SUMMARY is not set', async () => {
    const file = writeReport(MIXED);
    const { code, stdout } = await summarize([file], { stepSummary: false });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^## Prowler scan \(Alibaba Cloud\)\n/);
    expect(stdout).toContain('| critical | 1 | 1 |');
  });

  it('fails with the file name when the report is not JSON', async () => {
    const file = writeReport('[{"status_code": "FAIL"');
    const { code, stderr } = await summarize([dir]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file} is not JSON`);
  });
});

describe('summarize-findings.mjs --fail-on', () => {
  const mediumOnly = [
    finding({ status: 'FAIL', severity: 'Medium', check: 'oss_bucket_logging_enabled', service: 'oss', resource: 'site' }),
    finding({ status: 'PASS', severity: 'Critical', check: 'ram_no_root_access_key', service: 'ram', resource: 'root' }),
  ];
  const withCritical = [...mediumOnly, finding({ status: 'FAIL', severity: 'Critical', check: 'ram_no_root_access_key', service: 'ram', resource: 'root-2' })];

  it.each([
    ['none', withCritical, 0],
    ['high', mediumOnly, 0],
    ['HIGH', withCritical, 1],
    ['critical', withCritical, 1],
    ['medium', mediumOnly, 1],
    ['informational', mediumOnly, 1],
    ['', withCritical, 0], // a blank input means none
  ])('--fail-on %j', async (level, findings, expected) => {
    writeReport(findings);
    const { code, stdout, summary } = await summarize([dir, '--fail-on', level]);
    expect(code).toBe(expected);
    if (expected === 1) expect(stdout).toMatch(/^::error::fail-on \w+: failed findings at severity \w+ or above: \d+ \(/m);
    expect(summary).toBe(''); // the summary is the other step's job
  });

  it('counts the severities at or above the level in its error', async () => {
    writeReport(MIXED);
    const { code, stdout } = await summarize([dir, '--fail-on', 'high']);
    expect(code).toBe(1);
    expect(stdout).toBe('::error::fail-on high: failed findings at severity high or above: 6 (1 critical, 5 high).\n');
  });

  it('ignores muted findings', async () => {
    writeReport([finding({ status: 'FAIL', severity: 'Critical', check: 'ram_no_root_access_key', service: 'ram', resource: 'root', muted: true })]);
    expect((await summarize([dir, '--fail-on', 'low'])).code).toBe(0);
  });

  it('warns and passes without a report: a successful scan that wrote none found nothing', async () => {
    const { code, stdout } = await summarize([dir, '--fail-on', 'high']);
    expect(code).toBe(0);
    expect(stdout).toBe(`::warning::fail-on high: no Prowler report at ${dir}/*.ocsf.json, so there is no finding to fail on.\n`);
  });

  it('refuses an unknown level', async () => {
    writeReport(withCritical);
    const { code, stderr } = await summarize([dir, '--fail-on', 'severe']);
    expect(code).toBe(2);
    expect(stderr).toContain('--fail-on must be none or one of informational, low, medium, high, critical');
  });
});

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  if?: string;
  shell?: string;
  run?: string;
  with?: Record<string, string | boolean>;
  env?: Record<string, string>;
}
const composite = parse(readFileSync(join(EXAMPLE, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string; required?: boolean }>;
  runs: { using: string; steps: Step[] };
};
const steps = composite.runs.steps;
const stepIndex = (predicate: (step: Step) => boolean) => {
  const index = steps.findIndex(predicate);
  if (index < 0) throw new Error('no such step');
  return index;
};
const SETUP_PYTHON = stepIndex((s) => s.uses?.startsWith('actions/setup-python@') ?? false);
const INSTALL = stepIndex((s) => /pip install/.test(s.run ?? ''));
const CONFIGURE = stepIndex((s) => s.uses === 'your-org/configure-alibabacloud-credentials@v1');
const PROWLER = stepIndex((s) => /^\s*"\$PROWLER_VENV\/bin\/prowler" "\$\{args\[@\]\}"$/m.test(s.run ?? ''));
const UPLOAD = stepIndex((s) => s.uses?.startsWith('actions/upload-artifact@') ?? false);
const SUMMARY = stepIndex((s) => /summarize-findings\.mjs" "\$OUTPUT_DIR"$/.test(s.run?.trim() ?? ''));
const FAIL_ON = stepIndex((s) => /--fail-on/.test(s.run ?? ''));

/** Every command line the scan step built in these tests, for Prowler's own parser to read (the last test). */
const builtCommandLines: string[][] = [];

/**
 * Runs the `run:` of a step the way the runner runs a `shell: bash` step, with its env: expressions resolved from
 * `inputs` (or the input defaults) and RUNNER_TEMP, on top of `jobEnv`. Prowler is the venv the install step makes
 * in RUNNER_TEMP: with `prowler: 'stub'` a script that records its arguments and exits `prowlerExit`; with
 * `prowler: 'real'` the pinned Prowler that the test tools installed (scripts/test-tools.mjs), linked where the
 * install step would have made it.
 */
function prepareStep(step: Step, inputs: Record<string, string>, { prowlerExit = 0, prowler = 'stub', jobEnv = {} }: StepOptions) {
  const runnerTemp = join(dir, 'runner-temp');
  const venv = join(runnerTemp, 'prowler-venv');
  mkdirSync(runnerTemp, { recursive: true });
  const argsFile = join(dir, 'prowler-args');
  rmSync(argsFile, { force: true });
  rmSync(venv, { recursive: true, force: true });
  if (prowler === 'real') symlinkSync(tool('prowler').dir, venv);
  else {
    mkdirSync(join(venv, 'bin'), { recursive: true });
    writeFileSync(join(venv, 'bin', 'prowler'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\nexit ${prowlerExit}\n`);
    chmodSync(join(venv, 'bin', 'prowler'), 0o755);
  }
  const resolve = (value: string) =>
    value.replace(/\$\{\{\s*(inputs\.([\w-]+)|runner\.temp)\s*\}\}/g, (_, expression: string, input?: string) =>
      expression === 'runner.temp' ? runnerTemp : (inputs[input!] ?? composite.inputs[input!]?.default ?? ''),
    );
  const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, resolve(String(value))]));
  const script = join(dir, 'step.sh');
  writeFileSync(script, step.run!);
  const cwd = join(dir, 'workspace');
  mkdirSync(cwd, { recursive: true });
  // A file a glob could expand to, if a value were ever expanded.
  writeFileSync(join(cwd, 'ram_user_mfa_enabled_console_access'), '');
  const spawnEnv = {
    PATH: process.env.PATH ?? '',
    ...jobEnv,
    GITHUB_ACTION_PATH: EXAMPLE,
    RUNNER_TEMP: runnerTemp,
    GITHUB_STEP_SUMMARY: join(dir, 'step-summary.md'),
    ...env,
  };
  const finish = (code: number | null, stdout: string, stderr: string) => {
    let prowlerArgs: string[] | undefined;
    try {
      prowlerArgs = readFileSync(argsFile, 'utf8').split('\n').slice(0, -1);
      builtCommandLines.push(prowlerArgs);
    } catch {}
    return { code, stdout, stderr, prowlerArgs, outputDir: join(runnerTemp, 'prowler-alibabacloud') };
  };
  return { args: ['--noprofile', '--norc', '-eo', 'pipefail', script], cwd, env: spawnEnv, finish };
}

interface StepOptions {
  prowlerExit?: number;
  prowler?: 'stub' | 'real';
  jobEnv?: Record<string, string>;
}

/**
 * Runs the `run:` of a step the way the runner runs a `shell: bash` step, with its env: expressions resolved from
 * `inputs` (or the input defaults) and RUNNER_TEMP, on top of `jobEnv`. Prowler is the venv the install step makes
 * in RUNNER_TEMP: with `prowler: 'stub'` a script that records its arguments and exits `prowlerExit`; with
 * `prowler: 'real'` the pinned Prowler that the test tools installed (scripts/test-tools.mjs), linked where the
 * install step would have made it.
 */
function runStep(step: Step, inputs: Record<string, string> = {}, options: StepOptions = {}) {
  const { args, cwd, env, finish } = prepareStep(step, inputs, options);
  const result = spawnSync('bash', args, { cwd, env, encoding: 'utf8' });
  return finish(result.status, result.stdout, result.stderr);
}

/** runStep without blocking this process, whose emulator the step talks to. */
function runStepAsync(step: Step, inputs: Record<string, string>, options: StepOptions) {
  const { args, cwd, env, finish } = prepareStep(step, inputs, options);
  return new Promise<ReturnType<typeof finish>>((resolveRun, reject) => {
    const child = spawn('bash', args, { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolveRun(finish(code, stdout, stderr)));
  });
}

describe('examples/prowler-alibabacloud/action.yml', () => {
  it('is a composite action', () => {
    expect(composite.runs.using).toBe('composite');
  });

  it('passes the credential inputs to configure-alibabacloud-credentials, each an input of this action', () => {
    const credentialInputs = [
      'role-to-assume',
      'oidc-provider-arn',
      'region',
      'audience',
      'role-session-name',
      'role-session-expiration',
      'allowed-account-ids',
    ];
    expect(steps[CONFIGURE].with).toEqual(Object.fromEntries(credentialInputs.map((name) => [name, `\${{ inputs.${name} }}`])));
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
    for (const name of credentialInputs) {
      expect(composite.inputs).toHaveProperty(name);
      expect(action.inputs).toHaveProperty(name);
    }
    // An input passed on is never empty where the action has a default of its own.
    expect(composite.inputs.audience.default).toBe(action.inputs.audience.default);
  });

  it('asks for a 21600 s session by default, long enough for a full scan, within what STS allows', () => {
    expect(composite.inputs['role-session-expiration'].default).toBe('21600');
  });

  it('installs the Prowler the tests run, into a venv of its own, before it asks for credentials', () => {
    expect(composite.inputs['prowler-version'].default).toBe(PROWLER_VERSION);
    // The scheduled-scan example installs Prowler itself: the same pinned version.
    const scheduled = parse(readFileSync(join(ROOT, 'examples/prowler-scheduled-scan.yml'), 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
    const installs = Object.values(scheduled.jobs).flatMap((job) => job.steps.filter((step) => /\bpip install\b.*\bprowler\b/.test(step.run ?? '')));
    expect(installs.map((step) => step.run?.trim())).toEqual([`pip install prowler==${PROWLER_VERSION}`]);
    expect(steps[INSTALL].env).toEqual({
      PYTHON: '${{ steps.python.outputs.python-path }}',
      PROWLER_VERSION: '${{ inputs.prowler-version }}',
      PROWLER_VENV: '${{ runner.temp }}/prowler-venv',
    });
    expect(steps[INSTALL].run).toContain('"$PYTHON" -m venv "$PROWLER_VENV"');
    expect(steps[INSTALL].run).toContain('"$PROWLER_VENV/bin/python" -m pip install --disable-pip-version-check "prowler==$PROWLER_VERSION"');
    expect(steps[PROWLER].env?.PROWLER_VENV).toBe('${{ runner.temp }}/prowler-venv');
    expect(SETUP_PYTHON).toBeLessThan(INSTALL);
    expect(INSTALL).toBeLessThan(CONFIGURE);
    expect(CONFIGURE).toBeLessThan(PROWLER);
  });

  it('leaves the caller’s Python alone: setup-python does not change PATH or the job’s environment', () => {
    expect(steps[SETUP_PYTHON]).toMatchObject({ id: 'python', with: { 'update-environment': false } });
    // Prowler supports Python >= 3.10, < 3.14 (the root pyproject.toml of prowler-cloud/prowler at tag 5.46.0).
    const [major, minor] = String(steps[SETUP_PYTHON].with?.['python-version']).split('.').map(Number);
    expect([major, minor >= 10 && minor < 14]).toEqual([3, true]);
  });

  it('uploads and summarizes even after a failure, applies fail-on last', () => {
    expect(steps[UPLOAD].if).toBe('always()');
    expect(steps[SUMMARY].if).toBe('always()');
    expect(PROWLER).toBeLessThan(UPLOAD);
    expect(UPLOAD).toBeLessThan(SUMMARY);
    expect(FAIL_ON).toBe(steps.length - 1);
    expect(steps[FAIL_ON].if).toBeUndefined(); // only after a successful scan
    expect(steps[FAIL_ON].env?.FAIL_ON).toBe('${{ inputs.fail-on }}');
  });

  it('writes, uploads and reads the reports in one directory', () => {
    const outputDir = '${{ runner.temp }}/prowler-alibabacloud';
    expect(steps[PROWLER].env?.OUTPUT_DIR).toBe(outputDir);
    expect(steps[SUMMARY].env?.OUTPUT_DIR).toBe(outputDir);
    expect(steps[FAIL_ON].env?.OUTPUT_DIR).toBe(outputDir);
    expect(steps[UPLOAD].with?.path).toBe(`${outputDir}/`);
    expect(steps[UPLOAD].with?.name).toBe('${{ inputs.artifact-name }}');
    expect(steps[UPLOAD].with?.['retention-days']).toBe('${{ inputs.retention-days }}');
  });

  it('never puts an expression in the text of a script (script injection)', () => {
    const scripts = steps.filter((s) => s.run !== undefined);
    expect(scripts.length).toBeGreaterThanOrEqual(4);
    for (const step of scripts) {
      expect(step.run).not.toContain('${{');
      expect(step.shell).toBe('bash');
    }
  });

  const FILTERS = { services: '--services', checks: '--checks', compliance: '--compliance', severity: '--severity', regions: '--region' };

  it.each(Object.entries(FILTERS))('maps the %s input to %s through env', (input, flag) => {
    const [variable] = Object.entries(steps[PROWLER].env ?? {}).find(([, value]) => value === `\${{ inputs.${input} }}`) ?? [];
    expect(variable).toMatch(/^[A-Z_]+$/);
    expect(steps[PROWLER].run).toContain(`add_flag ${flag} ${input} "$${variable}"\n`);
  });

  it('runs prowler alibabacloud with the defaults: all checks, the default formats, exit code 3 ignored', () => {
    const { code, stderr, prowlerArgs, outputDir } = runStep(steps[PROWLER]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(prowlerArgs).toEqual(['alibabacloud', '--output-directory', outputDir, '--ignore-exit-code-3', '--output-formats', 'csv', 'json-ocsf', 'html']);
  });

  it('passes every filter as its flag, split on spaces, commas and newlines, globs unexpanded', () => {
    const { code, stderr, prowlerArgs, outputDir } = runStep(steps[PROWLER], {
      'output-formats': 'csv,html',
      services: 'ram, oss',
      checks: 'ram_* \n',
      compliance: 'cis_2.0_alibabacloud',
      severity: 'critical\nhigh',
      regions: 'cn-hangzhou cn-shanghai',
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(prowlerArgs).toEqual([
      'alibabacloud',
      ...['--output-directory', outputDir, '--ignore-exit-code-3'],
      ...['--output-formats', 'csv', 'html', 'json-ocsf'], // json-ocsf added: the summary reads it
      ...['--services', 'ram', 'oss'],
      ...['--checks', 'ram_*'],
      ...['--compliance', 'cis_2.0_alibabacloud'],
      ...['--severity', 'critical', 'high'],
      ...['--region', 'cn-hangzhou', 'cn-shanghai'],
    ]);
  });

  it('drops empty values instead of passing Prowler an empty argument', () => {
    const { code, prowlerArgs } = runStep(steps[PROWLER], { services: 'ram,,oss,', regions: ',cn-hangzhou, ,' });
    expect(code).toBe(0);
    expect(prowlerArgs?.slice(8)).toEqual(['--services', 'ram', 'oss', '--region', 'cn-hangzhou']);
    expect(runStep(steps[PROWLER], { checks: ',, ,' }).prowlerArgs).not.toContain('--checks');
  });

  it('does not add json-ocsf twice', () => {
    const { prowlerArgs } = runStep(steps[PROWLER], { 'output-formats': 'json-ocsf html' });
    expect(prowlerArgs?.slice(4)).toEqual(['--output-formats', 'json-ocsf', 'html']);
  });

  it('refuses a value that Prowler would read as a flag', () => {
    const { code, stderr, prowlerArgs } = runStep(steps[PROWLER], { services: 'ram --mutelist-file /tmp/x' });
    expect(code).toBe(1);
    expect(stderr).toContain("Input services: '--mutelist-file' starts with '-'");
    expect(prowlerArgs).toBeUndefined();
  });

  it('fails the step when Prowler fails', () => {
    expect(runStep(steps[PROWLER], {}, { prowlerExit: 1 }).code).toBe(1);
  });

  it('summarizes and applies fail-on from the directory Prowler wrote to', () => {
    const { outputDir } = runStep(steps[PROWLER]);
    writeFileSync(join(outputDir, 'prowler-output-1234567890123456-20260101000000.ocsf.json'), JSON.stringify(MIXED));
    const summary = runStep(steps[SUMMARY]);
    expect(summary.code).toBe(0);
    expect(readFileSync(join(dir, 'step-summary.md'), 'utf8')).toContain('| critical | 1 | 1 |');
    expect(runStep(steps[FAIL_ON]).code).toBe(0); // default: none
    expect(runStep(steps[FAIL_ON], { 'fail-on': 'critical' }).code).toBe(1);
  });

  it('builds only command lines the pinned Prowler’s own argument parser accepts (services, checks and compliance one at a time)', async () => {
    // Each filter alone, with the others that combine with any of them; and the one the parser refuses.
    const filters: Record<string, string>[] = [
      { services: 'ram oss' },
      { checks: 'ram_no_root_access_key,ram_user_mfa_enabled_console_access' },
      { compliance: 'cis_2.0_alibabacloud' },
    ];
    for (const only of filters)
      runStep(steps[PROWLER], { ...only, severity: 'critical high', regions: 'cn-hangzhou,cn-shanghai', 'output-formats': 'csv html' });
    const lines = [...new Map(builtCommandLines.map((line) => [JSON.stringify(line), line])).values()];
    const both = lines.filter((line) => line.includes('--services') && line.includes('--checks'));
    const accepted = lines.filter((line) => !both.includes(line));
    expect(accepted.length).toBeGreaterThanOrEqual(6);
    const verdicts = await prowlerParses(lines);
    for (const line of accepted) expect([line.join(' '), verdicts.get(JSON.stringify(line))]).toEqual([line.join(' '), 'accepted']);
    // As the README says: Prowler accepts only one of services, checks and compliance.
    for (const line of both) expect(verdicts.get(JSON.stringify(line))).toMatch(/not allowed with argument/);
  }, 60_000);
});

/** What the pinned Prowler's argument parser (ProwlerArgumentParser.parse) says of each command line. */
async function prowlerParses(lines: string[][]): Promise<Map<string, string>> {
  const program = [
    'import contextlib, io, json, sys',
    'from prowler.lib.cli.parser import ProwlerArgumentParser',
    'parser = ProwlerArgumentParser()',
    'for line in json.load(sys.stdin):',
    '    err = io.StringIO()',
    '    try:',
    '        with contextlib.redirect_stderr(err):',
    "            parser.parse(['prowler', *line])",
    "        verdict = 'accepted'",
    '    except SystemExit:',
    '        verdict = err.getvalue().strip().splitlines()[-1]',
    '    print(json.dumps([line, verdict]))',
  ].join('\n');
  const run = spawnSync(tool('prowler').bins.python, ['-c', program], {
    input: JSON.stringify(lines),
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: dir },
  });
  if (run.status !== 0) throw new Error(`Prowler's parser did not run: ${run.stderr}`);
  return new Map(
    run.stdout
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as [string[], string])
      .map(([line, verdict]) => [JSON.stringify(line), verdict]),
  );
}

if (COMPOSITE_SKIP_REASON) console.warn(`prowler-composite.test.ts: the composite end to end is skipped: ${COMPOSITE_SKIP_REASON}`);
const describeEndToEnd = COMPOSITE_SKIP_REASON ? describe.skip : describe;
describeEndToEnd('the composite end to end: the real configure step, the pinned Prowler against the emulator, its real report summarized', () => {
  // A runner behind a TLS-inspecting proxy: HTTPS_PROXY routes Alibaba Cloud's names to the emulator, whose CA the
  // job trusts (NODE_EXTRA_CA_CERTS for the action, SSL_CERT_FILE for Prowler; scripts/test-tools.mjs says why
  // Prowler's venv has pip-system-certs). The steps run as written: the configure step is the action's bundle with
  // the composite's `with:`, the scan, summary and fail-on steps are their bash. setup-python and the pip install are
  // the two steps not run: the test tools installed the same Prowler (the pin test above checks the version).
  const ACCOUNT = '1234567890123456';
  let em: Emulator;
  let proxy: Awaited<ReturnType<typeof prowlerProxy>>;
  let roleArn: string;
  let providerArn: string;

  beforeAll(async () => {
    em = await startEmulator({ tls: true });
    proxy = await prowlerProxy(em.stsHost);
    providerArn = (await em.addOidcProvider({ accountId: ACCOUNT, name: 'github' })).arn;
    roleArn = (
      await em.addRole({
        accountId: ACCOUNT,
        name: 'ProwlerScan',
        maxSessionDuration: 21600,
        oidc: { providerArn, sub: ['repo:octo-org/octo-repo:ref:refs/heads/main'] },
      })
    ).arn;
    // The account Prowler scans: alice signs in to the console without MFA (a high failure), bob with MFA, and the
    // password policy asks for 8 characters (a medium failure: the check wants 14).
    for (const name of ['alice', 'bob']) await em.addUser({ accountId: ACCOUNT, name });
    await em.setRamAccount({ accountId: ACCOUNT, alias: 'octo-prod', loginProfiles: { alice: { mfaBindRequired: false }, bob: { mfaBindRequired: true } } });
  });
  afterAll(async () => {
    await proxy?.close();
    await em?.close();
  });

  it('scans with the action’s credentials, writes the OCSF report, summarizes it, and fail-on fails and passes as documented', async () => {
    const inputs = {
      'role-to-assume': roleArn,
      'oidc-provider-arn': providerArn,
      'role-session-name': 'prowler-scan',
      'allowed-account-ids': ACCOUNT,
      checks: 'ram_user_mfa_enabled_console_access, ram_password_policy_minimum_length\nram_rotate_access_key_90_days',
      regions: 'cn-hangzhou',
    };
    const ca = em.caFile ?? '';
    const j = newJob({ ...oidcJobEnv(em), NODE_EXTRA_CA_CERTS: ca, SSL_CERT_FILE: ca, HTTPS_PROXY: proxy.url });

    // The configure step: the action, with the inputs the composite passes.
    const withInputs = Object.fromEntries(
      Object.entries(steps[CONFIGURE].with ?? {}).map(([name, value]) => [
        name,
        String(value).replace(
          /\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g,
          (_, input: string) => (inputs as Record<string, string>)[input] ?? composite.inputs[input]?.default ?? '',
        ),
      ]),
    );
    const main = await j.main(withInputs);
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    expect(main.outputs['assumed-role-arn']).toBe(`acs:ram::${ACCOUNT}:assumed-role/ProwlerScan/prowler-scan`);
    expect(findLeaks(main, await em.secrets())).toEqual([]);
    const assume = (await em.requests()).find((r) => r.target === 'AssumeRoleWithOIDC');
    expect(assume?.params).toMatchObject({ DurationSeconds: '21600', RoleSessionName: 'prowler-scan' });

    // The scan step, as written, with the real Prowler.
    const jobEnv = j.laterStepEnv();
    const scan = await runStepAsync(steps[PROWLER], inputs, { prowler: 'real', jobEnv });
    expect([scan.code, scan.code === 0 ? '' : `${scan.stdout.slice(-2000)}\n${scan.stderr.slice(-2000)}`]).toEqual([0, '']);
    const reports = readdirSync(scan.outputDir).filter((name) => name.endsWith('.ocsf.json'));
    expect(reports).toEqual([expect.stringMatching(new RegExp(`^prowler-output-${ACCOUNT}-\\d+\\.ocsf\\.json$`))]);
    expect(readdirSync(scan.outputDir).some((name) => name.endsWith('.csv'))).toBe(true);
    expect(readdirSync(scan.outputDir).some((name) => name.endsWith('.html'))).toBe(true);
    const findings = JSON.parse(readFileSync(join(scan.outputDir, reports[0]), 'utf8')) as Array<{
      status_code: string;
      severity: string;
      metadata: { event_code: string };
      resources: Array<{ uid: string }>;
    }>;
    const seen = findings.map((f) => `${f.status_code} ${f.severity} ${f.metadata.event_code} ${f.resources[0].uid}`).sort();
    expect(seen).toEqual(
      [
        `FAIL High ram_user_mfa_enabled_console_access acs:ram::${ACCOUNT}:user/alice`,
        `PASS High ram_user_mfa_enabled_console_access acs:ram::${ACCOUNT}:user/bob`,
        `FAIL Medium ram_password_policy_minimum_length acs:ram::${ACCOUNT}:password-policy`,
        ...(['alice', 'bob'] as const).map((user) =>
          expect.stringMatching(new RegExp(`^PASS Medium ram_rotate_access_key_90_days acs:ram::${ACCOUNT}:user/${user}/accesskey/LTAI`)),
        ),
      ].sort(),
    );
    // Prowler signed every RAM call with the STS credentials the action exported.
    const ramActions: string[] = ['GetAccountAlias', 'ListUsers', 'GetPasswordPolicy', 'ListAccessKeys', 'GetLoginProfile'];
    const ram = (await em.requests()).filter((r) => ramActions.includes(r.target));
    expect(new Set(ram.map((r) => r.target))).toEqual(new Set(ramActions));
    for (const r of ram) expect(r.accessKeyId).toBe(main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID);

    // The summary step reads that report.
    const summary = runStep(steps[SUMMARY], inputs, { jobEnv });
    expect(summary.code).toBe(0);
    const markdown = readFileSync(join(dir, 'step-summary.md'), 'utf8');
    expect(markdown).toContain('**2 failed**, 3 passed, 0 manual, 0 failed but muted (not counted) — 5 findings in all.');
    expect(markdown).toContain('| high | 1 | 1 |');
    expect(markdown).toContain('| medium | 1 | 1 |');
    expect(markdown).toMatch(/\| ram_user_mfa_enabled_console_access \| .+ \| high \| ram \| 1 \|/);

    // fail-on: the lowest severity that fails the job.
    const failOn = (level: string) => runStep(steps[FAIL_ON], { ...inputs, 'fail-on': level }, { jobEnv });
    expect(failOn('critical')).toMatchObject({ code: 0, stdout: 'fail-on critical: no failed finding at severity critical or above.\n' });
    expect(failOn('high')).toMatchObject({ code: 1, stdout: '::error::fail-on high: failed findings at severity high or above: 1 (1 high).\n' });
    expect(failOn('medium')).toMatchObject({
      code: 1,
      stdout: '::error::fail-on medium: failed findings at severity medium or above: 2 (1 high, 1 medium).\n',
    });
    expect(failOn('none').code).toBe(0);

    expect((await j.post()).code).toBe(0);
  }, 120_000);
});
