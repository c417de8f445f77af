// Ready for GitHub Marketplace: what GitHub checks when a release of action.yml is published there
// (github.com/github/docs, content/actions/how-tos/create-and-publish-actions/publish-in-github-marketplace.md: one
// action.yml at the root, others in sub-folders are not listed; a unique name), what the publishing form refuses (a
// description of 125 characters or more) and the branding it shows (a Feather icon and one of eight colors; the icon's
// name is checked by actionlint in checkers.test.ts, which knows the list). And the release side: a CHANGELOG section
// per release, which the release workflow's own script finds for every version, and the workflow's publish job run
// step by step (GitHub's API played by gh-stand-in.mjs): it publishes vX.Y.Z with that section and moves vX.

import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../../emulator/step.mjs';

interface Action {
  readonly name?: unknown;
  readonly description?: unknown;
  readonly branding?: { icon?: unknown; color?: unknown };
}

const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

/** The name of aliyun/configure-aliyun-credentials-action (its action.yml at 015c487): ours must differ. */
const OFFICIAL_ACTION_NAME = '"Configure Alibaba Cloud Credentials" Action for GitHub Actions';
/** The colors of `branding.color` (docs.github.com, metadata syntax for GitHub Actions, branding). */
const COLORS = ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark'];

describe('action.yml for GitHub Marketplace', () => {
  const action = parse(read('action.yml')) as Action;

  it('has a name of its own', () => {
    expect(typeof action.name).toBe('string');
    const name = String(action.name);
    expect(name.trim()).toBe(name);
    expect(name.length).toBeGreaterThan(0);
    expect(name.toLowerCase()).not.toBe(OFFICIAL_ACTION_NAME.toLowerCase());
    // The name cannot be a GitHub user or organization; `github` and the like are taken.
    expect(name).toMatch(/\s/);
  });

  it('has a description under 125 characters, the most the publishing form takes', () => {
    expect(typeof action.description).toBe('string');
    const description = String(action.description);
    expect(description.length).toBeGreaterThan(20);
    expect(description.length).toBeLessThan(125);
  });

  it('has a branding icon and one of the eight colors', () => {
    expect(typeof action.branding?.icon).toBe('string');
    expect(COLORS).toContain(action.branding?.color);
  });

  it('is the one action at the root; list-accounts/ and examples/ are used by path and not listed', () => {
    expect(existsSync(join(ROOT, 'action.yaml'))).toBe(false);
  });
});

/** Semantic version order, newest first. */
const byVersionDescending = (a: string, b: string): number => {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return y[i] - x[i];
  return 0;
};

describe('CHANGELOG.md and the release workflow', () => {
  const changelog = read('CHANGELOG.md');
  const headings = [...changelog.matchAll(/^## (.*)$/gm)].map((m) => m[1]);
  const releases = headings.slice(1).map((heading) => /^\[(\d+\.\d+\.\d+)\](?: - (\d{4}-\d{2}-\d{2}))?$/.exec(heading)?.[1] ?? heading);
  const links = new Map([...changelog.matchAll(/^\[([^\]]+)\]: (\S+)$/gm)].map((m) => [m[1], m[2]]));

  it('opens with Unreleased, then one "## [X.Y.Z]" section per release, newest first', () => {
    expect(headings[0]).toBe('[Unreleased]');
    expect(releases.filter((release) => !/^\d+\.\d+\.\d+$/.test(release))).toEqual([]);
    expect([...releases].sort(byVersionDescending)).toEqual(releases);
    expect(new Set(releases).size).toBe(releases.length);
  });

  it("has a section for package.json's version", () => {
    const { version } = JSON.parse(read('package.json')) as { version: string };
    expect(releases).toContain(version);
  });

  it('links every section: a release to its tag, Unreleased to the changes since the newest', () => {
    expect(links.get('Unreleased')).toMatch(new RegExp(`/compare/v${releases[0].replaceAll('.', '\\.')}\\.\\.\\.HEAD$`));
    for (const release of releases) expect(links.get(release)).toMatch(new RegExp(`/releases/tag/v${release.replaceAll('.', '\\.')}$`));
  });

  describe('the release workflow', () => {
    const workflow = parse(read('.github/workflows/release.yml')) as {
      on: { push: { tags: string[] } };
      jobs: Record<string, { env?: Record<string, string>; steps: Array<{ run?: string; name?: string; uses?: string }> }>;
    };
    const scripts = Object.values(workflow.jobs).flatMap((job) => job.steps.flatMap((step) => (step.run ? [step.run] : [])));

    it('runs for tags vX.Y.Z and moves the major tag vX', () => {
      expect(workflow.on.push.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+']);
      const move = scripts.find((script) => script.includes('major="${TAG%%.*}"'));
      expect(move).toMatch(/refs\/tags\/\$major/);
    });

    // The script that cuts a version's section out of CHANGELOG.md for the release notes, run as the workflow runs
    // it, in bash with the tag, on the repository's CHANGELOG.md.
    const notesScript = scripts.find((script) => script.includes('CHANGELOG.md') && script.includes('awk'));
    const bashReason = process.platform === 'win32' ? 'the release workflow runs on Linux; bash and awk are not assumed on Windows' : undefined;
    if (bashReason) console.warn(`release notes script not run: ${bashReason}`);
    const notesFor = (tag: string, text = changelog) => {
      const dir = mkdtempSync(join(tmpdir(), 'cac-release-'));
      try {
        // The workflow reads CHANGELOG.md from the checkout or from $RUNNER_TEMP: both are this folder.
        writeFileSync(join(dir, 'CHANGELOG.md'), text);
        const done = spawnSync('bash', ['-e', '-c', notesScript ?? 'exit 99'], {
          cwd: dir,
          env: { PATH: process.env.PATH, TAG: tag, RUNNER_TEMP: dir },
          encoding: 'utf8',
        });
        const notes = existsSync(join(dir, 'release-notes.md')) ? readFileSync(join(dir, 'release-notes.md'), 'utf8') : '';
        return { code: done.status, stdout: done.stdout, notes };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };

    (bashReason ? it.skip : it)("finds each release's section, and refuses a tag without one", () => {
      for (const release of releases) {
        const start = changelog.indexOf(`## [${release}]`);
        const end = changelog.indexOf('\n## [', start + 1);
        const section = changelog.slice(changelog.indexOf('\n', start) + 1, end < 0 ? undefined : end + 1);
        const { code, notes } = notesFor(`v${release}`);
        expect({ release, code, notes: notes.trim() }).toEqual({ release, code: 0, notes: section.split('\n[')[0].trim() });
      }
      const missing = notesFor('v99.0.0');
      expect(missing.code).toBe(1);
      expect(missing.stdout).toContain('::error title=No CHANGELOG section::CHANGELOG.md has no section "## [99.0.0]"');
    });

    (bashReason ? it.skip : it)('cuts out exactly the lines of the section, between its neighbours or before the links, and prints nothing', () => {
      const made = [
        '# Changelog\n\n## [Unreleased]\n\n- next\n\n## [1.2.0] - 2026-05-01\n\n### Fixed\n\n- one\n\n## [1.1.0]\n\n- older\n\n',
        '[Unreleased]: https://github.com/octo-org/octo-repo/compare/v1.2.0...HEAD\n',
        '[1.2.0]: https://github.com/octo-org/octo-repo/releases/tag/v1.2.0\n',
      ].join('');
      expect(notesFor('v1.2.0', made)).toEqual({ code: 0, stdout: '', notes: '\n### Fixed\n\n- one\n\n' });
      expect(notesFor('v1.1.0', made)).toEqual({ code: 0, stdout: '', notes: '\n- older\n\n' });
      expect(notesFor('v1.2', made).code).toBe(1);
    });

    // The publish job as the runner runs it: each `run:` in bash -eo pipefail, in order, until one fails, with the
    // job's environment. Its only other party is GitHub's REST API, which gh-stand-in.mjs answers from a local git
    // repository (the tags) and a log (the releases): that API cannot run here.
    const publish = Object.values(workflow.jobs).find((job) => job.steps.some((step) => step.run?.includes('gh release create')));
    const REPO = 'octo-org/octo-repo';
    type Git = (...args: string[]) => string;
    interface Made {
      readonly tag: string;
      /** The commit the workflow tested (GITHUB_SHA). */
      readonly sha: string;
      readonly older: string;
    }
    function runPublish(setup: (git: Git) => Made) {
      const dir = mkdtempSync(join(tmpdir(), 'cac-publish-'));
      try {
        const repo = join(dir, 'repo');
        const bin = join(dir, 'bin');
        const temp = join(dir, 'runner-temp');
        for (const path of [repo, bin, temp]) mkdirSync(path);
        const git = (...args: string[]) => {
          const done = spawnSync('git', ['-c', 'user.name=release', '-c', 'user.email=release@example.com', ...args], { cwd: repo, encoding: 'utf8' });
          if (done.status !== 0) throw new Error(`git ${args.join(' ')}: ${done.stderr}`);
          return done.stdout.trim();
        };
        git('init', '--quiet', '--initial-branch=main');
        const made = setup(git);
        const { tag, sha } = made;
        writeFileSync(join(bin, 'gh'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, '__tests__', 'ecosystem', 'gh-stand-in.mjs')}" "$@"\n`);
        chmodSync(join(bin, 'gh'), 0o755);
        const releases = join(dir, 'releases.jsonl');
        writeFileSync(releases, '');
        // The job's env with the values GitHub puts in its expressions for a push of the tag.
        const values: Record<string, string> = { '${{ github.token }}': 'stand-in-token', '${{ github.repository }}': REPO, '${{ github.ref_name }}': tag };
        const jobEnv = Object.fromEntries(Object.entries(publish?.env ?? {}).map(([name, value]) => [name, values[value] ?? value]));
        const env = {
          PATH: `${bin}:${process.env.PATH}`,
          ...jobEnv,
          GITHUB_SHA: sha,
          RUNNER_TEMP: temp,
          GH_STAND_IN_REPO: REPO,
          GH_STAND_IN_GIT: join(repo, '.git'),
          GH_STAND_IN_LOG: releases,
        };
        let output = '';
        let failed: string | undefined;
        for (const step of publish?.steps ?? []) {
          if (!step.run) throw new Error(`the publish job has a step without run: (${step.uses}); model it here`);
          const done = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], { cwd: temp, env, encoding: 'utf8' });
          output += done.stdout + done.stderr;
          if (done.status !== 0) {
            failed = step.name ?? step.run.split('\n')[0];
            break;
          }
        }
        const published = readFileSync(releases, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as { tag: string; title: string; notes: string });
        const major = spawnSync('git', ['rev-parse', '--verify', '--quiet', `refs/tags/${tag.split('.')[0]}^{commit}`], {
          cwd: repo,
          encoding: 'utf8',
        }).stdout.trim();
        return { failed, output, published, major, made };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }

    /**
     * A repository whose history has CHANGELOG.md: an older commit (tagged vX with `withMajor`), then the release
     * commit, which the workflow tested. With `tagMoved` the tag names the older commit instead.
     */
    const history =
      (tag: string, options: { withMajor?: boolean; tagMoved?: boolean } = {}) =>
      (git: Git): Made => {
        const repo = git('rev-parse', '--show-toplevel');
        writeFileSync(join(repo, 'CHANGELOG.md'), '# Changelog\n');
        git('add', 'CHANGELOG.md');
        git('commit', '--quiet', '-m', 'older');
        const older = git('rev-parse', 'HEAD');
        if (options.withMajor) git('tag', tag.split('.')[0]);
        writeFileSync(join(repo, 'CHANGELOG.md'), changelog);
        git('commit', '--quiet', '-am', 'release');
        const sha = git('rev-parse', 'HEAD');
        git('tag', tag, options.tagMoved ? older : sha);
        return { tag, sha, older };
      };

    (bashReason ? it.skip : it)('publishes vX.Y.Z with its CHANGELOG section and creates vX at that commit', () => {
      const tag = `v${releases[0]}`;
      const result = runPublish(history(tag));
      expect({ failed: result.failed, output: result.output }).toEqual({ failed: undefined, output: expect.stringContaining(`now points at ${tag}`) });
      expect(result.published).toEqual([{ tag, title: tag, notes: notesFor(tag).notes }]);
      expect(result.major).toBe(result.made.sha);
    });

    (bashReason ? it.skip : it)('moves an existing vX to the new release', () => {
      const result = runPublish(history(`v${releases[0]}`, { withMajor: true }));
      expect(result.failed).toBeUndefined();
      expect(result.made.older).not.toBe(result.made.sha);
      expect(result.major).toBe(result.made.sha);
    });

    (bashReason ? it.skip : it)('publishes nothing and leaves vX alone when the tag moved or CHANGELOG has no section', () => {
      const moved = runPublish(history(`v${releases[0]}`, { withMajor: true, tagMoved: true }));
      expect(moved.output).toContain('::error title=The tag moved::');
      expect({ published: moved.published, major: moved.major }).toEqual({ published: [], major: moved.made.older });
      const unlisted = runPublish(history('v99.0.0', { withMajor: true }));
      expect(unlisted.output).toContain('::error title=No CHANGELOG section::');
      expect({ published: unlisted.published, major: unlisted.major }).toEqual({ published: [], major: unlisted.made.older });
    });
  });
});
