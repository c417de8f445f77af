// src/sources/ecs-metadata.ts: only the input is tested here. The source reads the metadata service at the fixed
// address 100.100.100.200, which this process cannot serve (and must not reach from a machine outside ECS); the
// e2e suite __tests__/e2e/ecs-netns.test.ts runs obtain() against the emulator inside a network namespace.

import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../../src/errors.js';
import { ecsRamRole } from '../../../src/sources/ecs-metadata.js';
import { inputs, thrownBy } from '../helpers.js';

describe('select', () => {
  it('is selected by ecs-ram-role, renews, and asks STS nothing by itself', () => {
    expect(ecsRamRole.select(inputs())).toBeUndefined();
    expect(ecsRamRole.select(inputs({ 'ecs-ram-role': 'Prowler.Ecs_Role-1' }))).toMatchObject({
      gives: 'credentials',
      input: 'ecs-ram-role',
      description: 'ECS instance RAM role Prowler.Ecs_Role-1',
      renews: true,
      verifyUnassumed: false,
    });
  });

  it.each(['acs:ram::1234567890123456:role/ProwlerEcsRole', 'role/name', 'a b', 'x'.repeat(65), '../etc'])('refuses %j as a role name', (value) => {
    const error = thrownBy(() => ecsRamRole.select(inputs({ 'ecs-ram-role': value })));
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('ecs-ram-role');
    expect(error.hint).toContain('not its ARN');
  });
});

describe('role names that are path segments', () => {
  // The name becomes the last segment of /latest/meta-data/ram/security-credentials/<name>; URL parsing resolves
  // '.' and '..', so these would read another path of the metadata service instead of a role's credentials.
  it.each(['.', '..'])('refuses %j', (value) => {
    expect(() => ecsRamRole.select(inputs({ 'ecs-ram-role': value }))).toThrow(InputError);
  });
});
