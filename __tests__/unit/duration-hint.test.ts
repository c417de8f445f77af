// When STS refuses `role-session-expiration` (InvalidParameter.DurationSeconds), the hint names the role's limit as
// STS's message gives it, the input, and the exact aliyun CLI and Terraform changes that raise the limit.

import { durationRefusedHint, STS_ERROR_CODES } from '../../src/sts-codes.js';

const ROLE = 'acs:ram::123456789012:role/github-prowler-scan';
const TABLE_HINT = STS_ERROR_CODES['InvalidParameter.DurationSeconds'].hint;

describe('durationRefusedHint', () => {
  it.each([
    ['The Min/Max value of DurationSeconds is 15min/3hr.', 21600, 10800, '10800 s (3 h)'],
    ['The Min/Max value of DurationSeconds is 15min/1hr.', 7200, 3600, '3600 s (1 h)'],
    ['The Min/Max value of DurationSeconds is 15min/5400s.', 7200, 5400, '5400 s'],
    ['The Min/Max value of DurationSeconds is 15min/90min.', 7200, 5400, '5400 s'],
  ])('%s, asking for %i s: names the limit, the input and both changes', (message, asked, _max, limit) => {
    const hint = durationRefusedHint(message, { roleArn: ROLE, durationSeconds: asked });
    expect(hint).toBe(
      `The role github-prowler-scan allows sessions of at most ${limit}; \`role-session-expiration\` asks for ${asked} s. ${TABLE_HINT} ` +
        `To raise it to ${asked} s: \`aliyun ram UpdateRole --RoleName github-prowler-scan --NewMaxSessionDuration ${asked}\`, or in Terraform ` +
        `\`max_session_duration = ${asked}\` on the role's \`alicloud_ram_role\`.`,
    );
  });

  it('without a limit in the message (or one the request is within), gives the table hint and the changes', () => {
    for (const message of ['', 'The parameter DurationSeconds is invalid.', 'The Min/Max value of DurationSeconds is 15min/12hr.']) {
      const hint = durationRefusedHint(message, { roleArn: ROLE, durationSeconds: 21600 });
      expect(hint.startsWith(TABLE_HINT)).toBe(true);
      expect(hint).toContain('`aliyun ram UpdateRole --RoleName github-prowler-scan --NewMaxSessionDuration 21600`');
      expect(hint).toContain('`max_session_duration = 21600`');
    }
  });

  it('names a role under a path by its name, and never asks for more than STS allows', () => {
    const hint = durationRefusedHint('The Min/Max value of DurationSeconds is 15min/1hr.', {
      roleArn: 'acs:ram::123456789012:role/ci/deploy',
      durationSeconds: 43200,
    });
    expect(hint).toContain('--RoleName deploy --NewMaxSessionDuration 43200');
  });
});
