// Ready for GitHub Marketplace: what GitHub checks when a release of action.yml is published there
// (github.com/github/docs, content/actions/how-tos/create-and-publish-actions/publish-in-github-marketplace.md: one
// action.yml at the root, others in sub-folders are not listed; a unique name), what the publishing form refuses (a
// description of 125 characters or more) and the branding it shows (a Feather icon and one of eight colors; the icon's
// name is checked by actionlint in checkers.test.ts, which knows the list). And the release side: a CHANGELOG section
// per release, which the release workflow's own script finds for every version.

import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
      jobs: Record<string, { steps: Array<{ run?: string; name?: string }> }>;
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
    const notesFor = (tag: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'cac-release-'));
      try {
        // The workflow reads CHANGELOG.md from the checkout or from $RUNNER_TEMP: both are this folder.
        writeFileSync(join(dir, 'CHANGELOG.md'), changelog);
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
      expect(missing.stdout).toContain('::error title=No CHANGELOG section::');
    });
  });
});
