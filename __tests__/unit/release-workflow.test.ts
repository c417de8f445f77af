// .github/workflows/release.yml: the job that can write (the release, the moving major tag) runs no npm code and no
// code of the repository; the job that installs and tests has a read-only token that is not kept in .git/config;
// every action is pinned by commit SHA. And it still publishes vX.Y.Z with its CHANGELOG section and moves vX (the
// publish job itself, its notes step included, runs in __tests__/ecosystem/marketplace.test.ts).

import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TEXT = readFileSync(join(ROOT, '.github/workflows/release.yml'), 'utf8');

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}
interface Job {
  readonly permissions?: Record<string, string> | string;
  readonly needs?: string | string[];
  readonly steps: Step[];
}
const workflow = parse(TEXT) as { permissions?: Record<string, string> | string; jobs: Record<string, Job> };
const jobs = Object.entries(workflow.jobs);

const writes = (permissions: Job['permissions']) =>
  typeof permissions === 'string' ? permissions.startsWith('write') : Object.values(permissions ?? {}).some((level) => level === 'write');
const runsNpm = (step: Step) => /\b(npm|npx|node|yarn|pnpm)\b/.test(step.run ?? '') || /actions\/setup-node@/.test(step.uses ?? '');

describe('release.yml', () => {
  it('grants nothing at the top: each job says what it may do', () => {
    expect(workflow.permissions).toEqual({});
    for (const [name, job] of jobs) expect([name, job.permissions]).toEqual([name, expect.anything()]);
  });

  it('pins every action by a full commit SHA, with its version in a comment', () => {
    const uses = TEXT.split('\n').filter((line) => /^\s*(-\s+)?uses:/.test(line));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it('keeps no checkout credentials in .git/config', () => {
    const checkouts = jobs.flatMap(([, job]) => job.steps.filter((step) => step.uses?.startsWith('actions/checkout@')));
    expect(checkouts.length).toBeGreaterThan(0);
    for (const step of checkouts) expect(step.with?.['persist-credentials']).toBe(false);
  });

  it('installs and tests only in jobs that cannot write, and writes only from a job that runs no npm code and checks out nothing', () => {
    const testing = jobs.filter(([, job]) => job.steps.some(runsNpm));
    const publishing = jobs.filter(([, job]) => writes(job.permissions));
    expect(testing.length).toBeGreaterThan(0);
    expect(publishing.length).toBe(1);
    for (const [name, job] of testing) expect([name, writes(job.permissions)]).toEqual([name, false]);
    const [[publishName, publish]] = publishing;
    expect(publish.steps.filter(runsNpm)).toEqual([]);
    expect(publish.steps.filter((step) => step.uses)).toEqual([]);
    // It runs after the tests passed.
    for (const [name] of testing) expect([publish.needs].flat()).toContain(name);
    expect(publishName).toBeTruthy();
  });

  it('publishes vX.Y.Z with its CHANGELOG section, and moves vX to the tested commit', () => {
    const publish = jobs.find(([, job]) => writes(job.permissions))?.[1] as Job;
    const script = publish.steps.map((step) => step.run ?? '').join('\n');
    expect(script).toMatch(/gh release create "\$TAG" .*--verify-tag .*--notes-file/);
    expect(script).toMatch(/git\/refs\/tags\/\$major" .*-F force=true/);
    expect(script).toContain('$GITHUB_SHA');
  });
});
