// The checkers users run on the workflows they copy, over every action and workflow of this repository: actionlint
// (workflow syntax, expressions, action inputs, ShellCheck on `run:` scripts) and zizmor (the security linter:
// template injection, unpinned `uses:`, permissions, persisted credentials, cache poisoning), both at the versions
// scripts/test-tools.mjs pins. The files are found, not listed: action.yml, list-accounts/action.yml once it exists,
// the composite actions and workflows of examples/, .github/workflows/, the act tier's workflow, dependabot.yml;
// the complete workflows in the Markdown of the README, docs/ and examples/; and ShellCheck alone over the shell scripts (examples/setup/).
//
// Zero findings. Where a finding is wrong for this repository, an inline `# zizmor: ignore[rule] reason` (or a
// ShellCheck directive with its reason) sits beside it; this suite checks that each one still suppresses a finding,
// and prints them all with the configuration's exceptions (.github/zizmor.yml, .github/actionlint.yaml).
//
// actionlint reads an action's metadata only when a workflow uses it (`uses: ./path`, inside a git repository), and
// never checks a composite action's steps. So it also gets, in a temporary repository that links to this one, a
// workflow that uses every local action, and one per composite action whose job runs that action's steps.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { parse, stringify } from 'yaml';
import { ROOT } from '../../emulator/step.mjs';
import { ecosystemTools, type Ran, runTool } from './tools.js';

/** zizmor's persona: `pedantic` adds code smells (anonymous jobs, missing concurrency, workflow-wide permissions). */
const ZIZMOR_PERSONA = 'pedantic';
const SKIP_DIRS = new Set(['.git', 'node_modules', 'dist', 'coverage']);

interface ActionFile {
  readonly name?: string;
  readonly inputs?: Record<string, { required?: boolean; default?: unknown }>;
  readonly runs?: { using?: string; steps?: unknown[] };
}

interface Targets {
  /** Every action.yml / action.yaml, relative to the repository, with `/`. */
  readonly actions: string[];
  readonly composites: string[];
  /** Every YAML file with `on:` and `jobs:`. */
  readonly workflows: string[];
  readonly dependabot: string[];
}

/** The repository's files whose names match, relative to it, with `/`. */
function filesNamed(pattern: RegExp, dir = ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : filesNamed(pattern, join(dir, entry.name));
    return pattern.test(entry.name) ? [relative(ROOT, join(dir, entry.name)).split(sep).join('/')] : [];
  });
}

const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

function findTargets(): Targets {
  const targets: Targets = { actions: [], composites: [], workflows: [], dependabot: [] };
  for (const file of filesNamed(/\.ya?ml$/).sort()) {
    const doc: unknown = parse(read(file));
    if (!doc || typeof doc !== 'object') continue;
    if (/(^|\/)action\.ya?ml$/.test(file)) {
      targets.actions.push(file);
      if ((doc as ActionFile).runs?.using === 'composite') targets.composites.push(file);
    } else if (file === '.github/dependabot.yml') targets.dependabot.push(file);
    else if ('on' in doc && 'jobs' in doc) targets.workflows.push(file);
  }
  return targets;
}

const run = (command: string, args: string[]) => runTool(command, args, { cwd: ROOT });

/** The complete workflows (`on:` and `jobs:`) in the ```yaml blocks of the README, docs/ and examples/, which users copy too. */
function markdownWorkflows(): Array<{ file: string /** Of the block's first line. */; line: number; text: string }> {
  return filesNamed(/\.md$/)
    .filter((file) => file === 'README.md' || file.startsWith('docs/') || file.startsWith('examples/'))
    .flatMap((file) =>
      [...read(file).matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)].flatMap((block) => {
        const doc: unknown = parse(block[1]);
        const line = read(file).slice(0, block.index).split('\n').length + 1;
        return doc && typeof doc === 'object' && 'on' in doc && 'jobs' in doc ? [{ file, line, text: block[1] }] : [];
      }),
    );
}

/** The folder of an action as a `uses:` path: `./`, `./list-accounts`, … */
const usesPath = (action: string): string => (dirname(action) === '.' ? './' : `./${dirname(action)}`);

/**
 * A temporary git repository whose top-level entries are this repository's, with the workflows actionlint
 * needs to read the action metadata and the composite steps, and the workflows of the Markdown (snippet-*.yml,
 * which zizmor reads too). Returns the workflows' paths and what each stands for.
 */
function syntheticWorkflows(project: string, targets: Targets): Map<string, string> {
  mkdirSync(join(project, '.git'));
  mkdirSync(join(project, '.github', 'workflows'), { recursive: true });
  // Folders are linked (a junction on Windows, which needs no privilege), files copied.
  for (const entry of readdirSync(ROOT, { withFileTypes: true })) {
    if (['.git', '.github', 'node_modules'].includes(entry.name)) continue;
    if (entry.isDirectory()) symlinkSync(join(ROOT, entry.name), join(project, entry.name), 'junction');
    else copyFileSync(join(ROOT, entry.name), join(project, entry.name));
  }
  const written = new Map<string, string>();
  const write = (name: string, workflow: object | string, standsFor: string) => {
    const path = join(project, '.github', 'workflows', name);
    writeFileSync(path, typeof workflow === 'string' ? workflow : stringify(workflow));
    written.set(path, standsFor);
  };
  for (const [index, snippet] of SNIPPETS.entries()) write(`snippet-${index}.yml`, snippet.text, `${snippet.file}, the workflow from line ${snippet.line}`);
  // The reusable workflow of examples/org-scan where its README tells users to put it, so that the calls of the
  // snippets are checked against its inputs.
  write(
    'prowler-org-scan.yml',
    read('examples/org-scan/prowler-org-scan.yml'),
    'examples/org-scan/prowler-org-scan.yml, where examples/org-scan/README.md puts it',
  );
  const steps = targets.actions.map((action) => {
    const inputs = (parse(read(action)) as ActionFile).inputs ?? {};
    const required = Object.entries(inputs).filter(([, spec]) => spec.required && spec.default === undefined);
    return { uses: usesPath(action), ...(required.length ? { with: Object.fromEntries(required.map(([name]) => [name, 'x'])) } : {}) };
  });
  write(
    'local-actions.yml',
    { name: 'Local actions', on: 'push', permissions: {}, jobs: { use: { 'runs-on': 'ubuntu-latest', steps } } },
    'the metadata of every action.yml',
  );
  for (const composite of targets.composites) {
    const action = parse(read(composite)) as ActionFile;
    const inputs = Object.fromEntries(
      Object.entries(action.inputs ?? {}).map(([name, spec]) => [
        name,
        { type: 'string', required: Boolean(spec.required), ...(spec.default !== undefined ? { default: String(spec.default) } : {}) },
      ]),
    );
    write(
      `composite-${composite.replace(/[^a-z0-9]+/gi, '-')}.yml`,
      { name: composite, on: { workflow_call: { inputs } }, permissions: {}, jobs: { steps: { 'runs-on': 'ubuntu-latest', steps: action.runs?.steps ?? [] } } },
      `the steps of ${composite}, as a workflow_call job`,
    );
  }
  return written;
}

interface ActionlintFinding {
  readonly message: string;
  readonly filepath: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
  readonly snippet: string;
}

interface ZizmorFinding {
  readonly ident: string;
  readonly desc: string;
  readonly determinations: { severity: string; confidence: string };
  readonly locations: Array<{
    readonly symbolic: { key: { Local?: { given_path?: string; verbatim_path?: string } }; annotation: string };
    readonly concrete: { location: { start_point: { row: number }; end_point: { row: number } }; feature: string };
  }>;
}

const SNIPPETS = markdownWorkflows();

/** Where a 0-based row of a file zizmor read is in the repository: a snippet-N.yml is a block of a Markdown file. */
function repoLocation(path: string, row: number): { file: string; line: number } {
  const snippet = /snippet-(\d+)\.yml$/.exec(path);
  if (snippet) return { file: SNIPPETS[Number(snippet[1])].file, line: SNIPPETS[Number(snippet[1])].line + row };
  return { file: path, line: row + 1 };
}

const zizmorFile = (finding: ZizmorFinding): string => {
  const local = finding.locations[0]?.symbolic.key.Local;
  return local?.verbatim_path ?? local?.given_path ?? '?';
};

const describeZizmor = (finding: ZizmorFinding): string => {
  const location = finding.locations[0];
  const { file, line } = repoLocation(zizmorFile(finding), location?.concrete.location.start_point.row ?? -1);
  return `${file}:${line} ${finding.ident} (${finding.determinations.severity}): ${finding.desc}; ${location?.symbolic.annotation}: ${location?.concrete.feature.split('\n')[0]}`;
};

interface InlineIgnore {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly tool: 'zizmor' | 'shellcheck';
  readonly rules: string[];
  readonly reason: string;
}

/** `# zizmor: ignore[rule,…] reason` and `# shellcheck disable=SC…,… # reason`, each with its reason. */
function inlineIgnores(files: string[]): InlineIgnore[] {
  return files.flatMap((file) =>
    read(file)
      .split('\n')
      .flatMap((text, index): InlineIgnore[] => {
        const zizmor = /#\s*zizmor:\s*ignore\[([^\]]+)\](.*)$/.exec(text);
        if (zizmor) return [{ file, line: index + 1, tool: 'zizmor', rules: zizmor[1].split(',').map((r) => r.trim()), reason: zizmor[2].trim() }];
        const shellcheck = /#\s*shellcheck\s+disable=([\w,]+)(.*)$/.exec(text);
        if (shellcheck)
          return [{ file, line: index + 1, tool: 'shellcheck', rules: shellcheck[1].split(','), reason: shellcheck[2].replace(/^\s*#/, '').trim() }];
        return [];
      }),
  );
}

/** Every `uses:` of the files: the reference, and the comment after it. */
function usesLines(files: string[]): Array<{ file: string; line: number; uses: string; comment: string }> {
  return files.flatMap((file) =>
    read(file)
      .split('\n')
      .flatMap((text, index) => {
        const match = /^\s*(?:-\s+)?uses:\s*["']?([^\s"'#]+)["']?\s*(?:#\s*(.*))?$/.exec(text);
        return match ? [{ file, line: index + 1, uses: match[1], comment: match[2] ?? '' }] : [];
      }),
  );
}

describe('actionlint and zizmor', () => {
  const targets = findTargets();
  const tools = ecosystemTools();
  let project: string;
  let synthetic: Map<string, string>;
  let actionlint: ActionlintFinding[];
  let zizmor: ZizmorFinding[];
  let zizmorWithoutIgnores: ZizmorFinding[];
  let shellcheck: Ran;
  const shellScripts = filesNamed(/\.sh$/).sort();
  const versions: Record<string, string> = {};

  beforeAll(async () => {
    project = mkdtempSync(join(tmpdir(), 'cac-actionlint-'));
    synthetic = syntheticWorkflows(project, targets);
    const zizmorArgs = ['--offline', '--no-progress', '--persona', ZIZMOR_PERSONA, '--format', 'json', '--config', join(ROOT, '.github', 'zizmor.yml')];
    const snippets = [...synthetic.keys()].filter((path) => /snippet-\d+\.yml$/.test(path));
    const zizmorFiles = [...targets.actions, ...targets.workflows, ...targets.dependabot, ...snippets];
    const [lint, audit, auditAll, shellcheckRun, ...versionRuns] = await Promise.all([
      run(tools.actionlint, [
        ...['-shellcheck', tools.shellcheck, '-config-file', join(ROOT, '.github', 'actionlint.yaml'), '-format', '{{json .}}'],
        ...targets.workflows,
        ...synthetic.keys(),
      ]),
      run(tools.zizmor, [...zizmorArgs, ...zizmorFiles]),
      run(tools.zizmor, [...zizmorArgs, '--no-ignores', ...zizmorFiles]),
      shellScripts.length ? run(tools.shellcheck, ['--format', 'gcc', ...shellScripts]) : { code: 0, stdout: '', stderr: '' },
      run(tools.actionlint, ['-version']),
      run(tools.shellcheck, ['--version']),
      run(tools.zizmor, ['--version']),
    ]);
    // actionlint: 0 no findings, 1 findings, anything else a failure of its own. zizmor: 0, or 10 + the highest severity.
    if (lint.code > 1) throw new Error(`actionlint failed (${lint.code}): ${lint.stderr}${lint.stdout}`);
    for (const z of [audit, auditAll]) if (z.code !== 0 && (z.code < 10 || z.code > 14)) throw new Error(`zizmor failed (${z.code}): ${z.stderr}`);
    actionlint = JSON.parse(lint.stdout || '[]') ?? [];
    zizmor = JSON.parse(audit.stdout) as ZizmorFinding[];
    shellcheck = shellcheckRun;
    zizmorWithoutIgnores = JSON.parse(auditAll.stdout) as ZizmorFinding[];
    versions.actionlint = versionRuns[0].stdout.split('\n')[0];
    versions.shellcheck = /version: (\S+)/.exec(versionRuns[1].stdout)?.[1] ?? '?';
    versions.zizmor = versionRuns[2].stdout.trim();
  }, 60_000);

  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('finds every action and workflow, list-accounts/ included once it exists', () => {
    const workflowDir = readdirSync(join(ROOT, '.github', 'workflows')).map((name) => `.github/workflows/${name}`);
    const examples = readdirSync(join(ROOT, 'examples'))
      .filter((name) => /\.ya?ml$/.test(name))
      .map((name) => `examples/${name}`);
    expect(targets.workflows).toEqual(expect.arrayContaining([...workflowDir, ...examples, '__tests__/ecosystem/act/credentials.yml']));
    expect(targets.actions).toEqual(expect.arrayContaining(['action.yml', 'examples/prowler-alibabacloud/action.yml']));
    if (existsSync(join(ROOT, 'list-accounts', 'action.yml'))) expect(targets.actions).toContain('list-accounts/action.yml');
    expect(targets.composites).toContain('examples/prowler-alibabacloud/action.yml');
    expect(targets.dependabot).toEqual(['.github/dependabot.yml']);
    expect(SNIPPETS.length).toBeGreaterThan(0);
  });

  it('actionlint finds nothing', () => {
    const shown = actionlint.map((f) => {
      const file = synthetic.get(f.filepath) ?? synthetic.get(join(project, f.filepath)) ?? f.filepath;
      return `${file}:${f.line}:${f.column} [${f.kind}] ${f.message}\n${f.snippet}`;
    });
    expect(shown).toEqual([]);
  });

  it('zizmor finds nothing', () => {
    expect(zizmor.map(describeZizmor)).toEqual([]);
  });

  it('ShellCheck finds nothing in the shell scripts (examples/setup/ and any other)', () => {
    expect(shellScripts.length).toBeGreaterThan(0);
    expect({ code: shellcheck.code, findings: shellcheck.stdout.trim().split('\n').filter(Boolean), stderr: shellcheck.stderr }).toEqual({
      code: 0,
      findings: [],
      stderr: '',
    });
  });

  it('every inline ignore gives its reason and still suppresses a finding', () => {
    const ignores = inlineIgnores([...targets.actions, ...targets.workflows, ...shellScripts, ...new Set(SNIPPETS.map((snippet) => snippet.file))]);
    expect(ignores.filter((ignore) => ignore.reason.split(/\s+/).filter(Boolean).length < 4)).toEqual([]);
    // A zizmor ignore comment may sit on any line of the finding's span.
    const stale = ignores
      .filter((ignore) => ignore.tool === 'zizmor')
      .filter(
        (ignore) =>
          !zizmorWithoutIgnores.some(
            (finding) =>
              ignore.rules.includes(finding.ident) &&
              finding.locations.some((l) => {
                const start = repoLocation(zizmorFile(finding), l.concrete.location.start_point.row);
                const end = repoLocation(zizmorFile(finding), l.concrete.location.end_point.row);
                return start.file === ignore.file && start.line <= ignore.line && ignore.line <= end.line;
              }),
          ),
      );
    expect(stale).toEqual([]);

    // The configuration's exceptions: each must still match something.
    const config = parse(read('.github/zizmor.yml')) as { rules?: { 'unpinned-uses'?: { config?: { policies?: Record<string, string> } } } };
    const policies = Object.entries(config.rules?.['unpinned-uses']?.config?.policies ?? {}).filter(([pattern]) => pattern !== '*');
    const uses = usesLines([...targets.actions, ...targets.workflows]);
    expect(policies.filter(([pattern]) => !uses.some((u) => u.uses.split('@')[0] === pattern))).toEqual([]);
    const labels = (parse(read('.github/actionlint.yaml')) as { 'self-hosted-runner'?: { labels?: string[] } })['self-hosted-runner']?.labels ?? [];
    expect(labels.filter((label) => !targets.workflows.some((file) => new RegExp(`runs-on:.*\\b${label}\\b`).test(read(file))))).toEqual([]);

    const lines = [
      `actionlint ${versions.actionlint} with ShellCheck ${versions.shellcheck}: ${targets.workflows.length} workflows, ${targets.actions.length} actions` +
        ` (${synthetic.size} synthetic workflows), ${actionlint.length} findings; ShellCheck alone: ${shellScripts.length} shell scripts`,
      `${versions.zizmor} (${ZIZMOR_PERSONA}, offline): ${targets.workflows.length + targets.actions.length + targets.dependabot.length} files` +
        ` and ${SNIPPETS.length} workflows of the Markdown (README, docs/, examples/),` +
        ` ${zizmor.length} findings, ${zizmorWithoutIgnores.length - zizmor.length} suppressed`,
      `${ignores.length} inline ignores:`,
      ...ignores.map((i) => `  ${i.file}:${i.line} ${i.tool} ${i.rules.join(',')}: ${i.reason}`),
      `${policies.length} zizmor policy exceptions (.github/zizmor.yml): ${policies.map(([pattern, policy]) => `${pattern}: ${policy}`).join('; ') || 'none'}`,
      `${labels.length} self-hosted runner labels declared (.github/actionlint.yaml): ${labels.join(', ') || 'none'}`,
    ];
    console.log(lines.join('\n'));
  });

  it('pins every other action by full commit SHA with its version beside it, one commit per action across the repository', () => {
    const uses = usesLines([...targets.actions, ...targets.workflows, ...new Set(SNIPPETS.map((snippet) => snippet.file))]).filter(
      (u) => !u.uses.startsWith('./') && !u.uses.startsWith('docker://'),
    );
    const policies = Object.keys(
      (parse(read('.github/zizmor.yml')) as { rules: { 'unpinned-uses': { config: { policies: Record<string, string> } } } }).rules['unpinned-uses'].config
        .policies,
    );
    const pinned = uses.filter((u) => !policies.includes(u.uses.split('@')[0]));
    expect(
      pinned.filter((u) => !/@[0-9a-f]{40}$/.test(u.uses) || !/^v\d+\.\d+\.\d+\b/.test(u.comment)).map((u) => `${u.file}:${u.line} ${u.uses} # ${u.comment}`),
    ).toEqual([]);
    // Dependabot updates .github/workflows/ and the composite actions, not the example workflows: a bump there
    // fails here until the examples name the same commit.
    const byAction = new Map<string, Set<string>>();
    for (const u of pinned) {
      const action = u.uses.split('@')[0];
      byAction.set(action, (byAction.get(action) ?? new Set()).add(`${u.uses.split('@')[1]} # ${u.comment.split(/\s/)[0]}`));
    }
    expect([...byAction].filter(([, refs]) => refs.size > 1).map(([action, refs]) => `${action}: ${[...refs].join(' | ')}`)).toEqual([]);
  });
});
