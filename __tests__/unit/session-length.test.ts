// One number for "a session that covers a scan", everywhere a user meets it: the role's MaxSessionDuration that the
// setup paths create (the script, SETUP's console and CLI steps, the Terraform example) and the role-session-expiration
// the scan workflows ask for. When they disagreed, the documented setup made roles that refused the first scan.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../../scripts/inputs-table.mjs';

const SCAN_SESSION = 21600;
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The one match of `pattern` in `text`, as a number. */
function numberIn(text: string, pattern: RegExp): number {
  const matches = [...text.matchAll(new RegExp(pattern.source, `${pattern.flags}g`))];
  expect(matches).toHaveLength(1);
  return Number(matches[0][1]);
}

describe(`the session that covers a scan is ${SCAN_SESSION} s`, () => {
  it('in the roles the setup paths create', () => {
    const setup = read('docs/SETUP.md');
    const section = (heading: string) => setup.split(heading)[1].split('\n## ')[0];
    expect({
      script: numberIn(read('examples/setup/setup-github-oidc.sh'), /^max_session=(\d+)$/m),
      terraform: numberIn(read('examples/terraform/variables.tf'), /variable "max_session_duration" \{[^}]*?default\s*=\s*(\d+)/),
      console: numberIn(section('## 3. Create the RAM role and its trust policy'), /\*\*Maximum\s+session duration\*\* to (\d+) seconds/),
      cli: numberIn(section('## 7. The same with the aliyun CLI'), /^MAX_SESSION=(\d+)/m),
      'section 4': numberIn(section('## 4. Session length'), /\| MaxSessionDuration \| the RAM role \|[^|]*\|[^|]*\| (\d+) s \|/),
    }).toEqual({ script: SCAN_SESSION, terraform: SCAN_SESSION, console: SCAN_SESSION, cli: SCAN_SESSION, 'section 4': SCAN_SESSION });
  });

  it('in the sessions the scan workflows ask for', () => {
    const composite = parse(read('examples/prowler-alibabacloud/action.yml')) as { inputs: Record<string, { default?: string }> };
    const scheduled = parse(read('examples/prowler-scheduled-scan.yml')) as { jobs: { scan: { steps: Array<{ with?: Record<string, unknown> }> } } };
    const asked = scheduled.jobs.scan.steps.flatMap((step) =>
      step.with?.['role-session-expiration'] === undefined ? [] : [step.with['role-session-expiration']],
    );
    expect({ composite: Number(composite.inputs['role-session-expiration'].default), scheduled: asked.map(Number) }).toEqual({
      composite: SCAN_SESSION,
      scheduled: [SCAN_SESSION],
    });
  });
});
