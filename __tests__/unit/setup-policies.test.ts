// The RAM policies docs/SETUP.md asks users to paste, parsed from its JSON blocks and held to the code, so the two
// cannot drift: section 9.1's management role grants exactly the ResourceManager actions list-accounts calls and
// sts:AssumeRole on the member access role only; section 5's custom policy is the organisation scan's default
// member session policy (examples/org-scan/prowler-org-scan.yml, `member-session-policy`), whose Deny takes back the
// actions its Allow wildcards include that read data rather than configuration.

import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { DEFAULT_ROLE_NAME } from '../../src/list-accounts/config.js';
import { RESOURCE_MANAGER_ACTIONS } from '../../src/resource-manager.js';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}
interface Policy {
  Version: string;
  Statement: Statement[];
}

const setup = readFileSync(new URL('../../docs/SETUP.md', import.meta.url), 'utf8');

/** The text of one section, from its heading to the next heading of the same or a higher level. */
function section(heading: string): string {
  const start = setup.indexOf(`\n${heading}\n`);
  expect(start).toBeGreaterThan(-1);
  const level = heading.indexOf(' ');
  const rest = setup.slice(start + heading.length + 2);
  const next = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return next === -1 ? rest : rest.slice(0, next);
}

/** Every ```json block of a text that is a RAM policy. */
function policies(text: string): Policy[] {
  return [...text.matchAll(/^```json\n([\s\S]*?)^```$/gm)].map((match) => JSON.parse(match[1]) as Policy).filter((json) => Array.isArray(json.Statement));
}

const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/**
 * Actions of the services Prowler checks that read data, not configuration: every object of every bucket, log
 * contents (Simple Log Service's actions, https://www.alibabacloud.com/help/en/doc-detail/29051.htm), instance user
 * data, a cluster's kubeconfig. Prowler 5.46.0 calls none of them (org-scan.test.ts reads its services).
 */
const DATA_READS = [
  'oss:GetObject',
  'oss:GetObjectVersion',
  'log:GetLogStoreLogs',
  'log:GetLogStoreContextLogs',
  'log:GetLogStoreHistogram',
  'log:GetCursorOrData',
  'ecs:DescribeUserData',
  'cs:DescribeClusterUserKubeconfig',
];

function memberSessionPolicy(): string {
  const workflow = parse(readFileSync(new URL('../../examples/org-scan/prowler-org-scan.yml', import.meta.url), 'utf8')) as {
    on: { workflow_call: { inputs: Record<string, { default?: string }> } };
  };
  return workflow.on.workflow_call.inputs['member-session-policy'].default ?? '';
}

describe("SETUP's policies match the code", () => {
  it('section 9.1: the ResourceManager actions list-accounts calls, and sts:AssumeRole on the member access role only', () => {
    const [policy, ...others] = policies(section('### 9.1 The management role'));
    expect(others).toEqual([]);
    expect(policy.Version).toBe('1');
    const allowed = policy.Statement.filter((s) => s.Effect === 'Allow');
    expect(allowed).toHaveLength(policy.Statement.length);
    const resourceManager = allowed.filter((s) => list(s.Action).some((a) => a.startsWith('resourcemanager:')));
    expect(resourceManager.flatMap((s) => list(s.Action)).sort()).toEqual(RESOURCE_MANAGER_ACTIONS.map((a) => `resourcemanager:${a}`).sort());
    const assume = allowed.filter((s) => list(s.Action).includes('sts:AssumeRole'));
    expect(assume.map((s) => [list(s.Action), list(s.Resource)])).toEqual([[['sts:AssumeRole'], [`acs:ram:*:*:role/${DEFAULT_ROLE_NAME}`]]]);
    // Nothing else: no action beyond these two statements grant.
    expect(allowed.filter((s) => !resourceManager.includes(s) && !assume.includes(s))).toEqual([]);
  });

  it('every role ARN a policy of section 9 names is in the form RAM policies take: acs:ram:*:<account>:role/<name>', () => {
    const nine = section('## 9. Every account of a Resource Directory');
    const resources = policies(nine).flatMap((p) => p.Statement.flatMap((s) => list(s.Resource)));
    const inProse = [...nine.matchAll(/"Resource": "([^"]+)"/g)].map((m) => m[1]);
    for (const resource of [...resources, ...inProse].filter((r) => r.includes(':role/'))) expect(resource).toMatch(/^acs:ram:\*:(\*|\d+):role\//);
  });

  it("section 5's custom policy is the organisation scan's default member session policy", () => {
    const [custom] = policies(section('### A single custom policy instead'));
    expect(JSON.parse(memberSessionPolicy())).toEqual(custom);
  });

  it('the default member session policy denies the data its wildcards would read, and fits the 2048 bytes of STS', () => {
    const sessionPolicy = JSON.parse(memberSessionPolicy()) as Policy;
    const allowed = sessionPolicy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => list(s.Action));
    const denied = sessionPolicy.Statement.filter((s) => s.Effect === 'Deny');
    expect(denied.map((s) => list(s.Resource))).toEqual([['*']]);
    expect(denied.flatMap((s) => list(s.Action)).sort()).toEqual([...DATA_READS].sort());
    // Each is one an Allow wildcard grants: without the Deny, the session could call it.
    const grants = (pattern: string, action: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(action);
    for (const action of DATA_READS) expect(allowed.filter((pattern) => grants(pattern, action))).not.toEqual([]);
    // The action sends the policy without white space (config.ts); STS refuses a Policy over 2048 bytes.
    const sent = JSON.stringify(sessionPolicy);
    console.log(`member-session-policy: ${Buffer.byteLength(sent)} of the 2048 bytes STS takes.`);
    expect(Buffer.byteLength(sent)).toBeLessThanOrEqual(2048);
  });
});
