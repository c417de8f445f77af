// The action's inputs in one list (what readConfig and the sources read), kept equal to action.yml; and the check
// that fails on an input the action does not have, naming the one meant.

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { CONFIG_INPUTS, readConfig } from '../../src/config.js';
import { InputError } from '../../src/errors.js';
import { checkInputNames, closestInput, FOREIGN_INPUTS, inputVariable } from '../../src/inputs.js';
import { makePlan } from '../../src/plan.js';
import { SOURCE_INPUTS } from '../../src/sources/index.js';

const ACTION_YML = Object.keys((parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as { inputs: Record<string, unknown> }).inputs);
const ACTION_INPUTS = [...CONFIG_INPUTS, ...SOURCE_INPUTS];
const ROLE = 'acs:ram::123456789012:role/Deploy';

/** The input names a reader was asked for. */
function recorder(values: Record<string, string> = {}) {
  const read = new Set<string>();
  const input = (name: string) => {
    read.add(name);
    return values[name] ?? '';
  };
  return { read, input };
}

function failureOf(variables: string[]): InputError {
  try {
    checkInputNames(variables, ACTION_INPUTS);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`no error for ${variables.join(', ')}`);
}

describe('the list of inputs', () => {
  it('is the inputs of action.yml, each once', () => {
    expect([...ACTION_INPUTS].sort()).toEqual([...ACTION_YML].sort());
  });

  it('holds every input readConfig reads, and readConfig reads every input of CONFIG_INPUTS', () => {
    const { read, input } = recorder({ 'access-key-id': 'LTAI12345678', 'access-key-secret': 'secret' });
    readConfig(input, {});
    expect([...read].sort()).toEqual([...CONFIG_INPUTS].sort());
  });

  it('holds every input a plan reads, in the OIDC flow and with AccessKeys', () => {
    const flows: Record<string, string>[] = [
      { 'role-to-assume': ROLE, 'oidc-provider-arn': 'acs:ram::123456789012:oidc-provider/github' },
      { 'access-key-id': 'LTAI12345678', 'access-key-secret': 's' },
    ];
    for (const values of flows) {
      const { read, input } = recorder(values);
      makePlan(readConfig(input, {}), input, { idTokenRequest: { url: true, token: true } });
      expect([...read].filter((name) => !ACTION_INPUTS.includes(name))).toEqual([]);
    }
  });
});

describe('inputVariable', () => {
  it('is the name the runner gives: INPUT_, upper case, spaces as _, hyphens kept', () => {
    expect(inputVariable('role-to-assume')).toBe('INPUT_ROLE-TO-ASSUME');
    expect(inputVariable('my input')).toBe('INPUT_MY_INPUT');
  });
});

describe('checkInputNames', () => {
  it('accepts the inputs of action.yml, however the runner cased them, and ignores other variables', () => {
    expect(() => checkInputNames([...ACTION_YML.map(inputVariable), 'PATH', 'INPUT_', 'input_lower', 'GITHUB_ENV'], ACTION_INPUTS)).not.toThrow();
  });

  it('knows only names that are not inputs here, and points each at an input that exists', () => {
    expect(Object.keys(FOREIGN_INPUTS).filter((name) => ACTION_YML.includes(name))).toEqual([]);
    const targets = Object.values(FOREIGN_INPUTS).flatMap((entry) => (entry.use ? [entry.use] : []));
    expect(targets.filter((name) => !ACTION_YML.includes(name))).toEqual([]);
    // Each says what to do: an input, or a note.
    expect(Object.entries(FOREIGN_INPUTS).filter(([, entry]) => !entry.use === !entry.note)).toEqual([]);
  });

  it.each(Object.entries(FOREIGN_INPUTS))('%s: names the input and what it is here', (name, entry) => {
    const error = failureOf(['PATH', inputVariable('role-to-assume'), inputVariable(name)]);
    expect(error.input).toBe(name);
    expect(error.message).toBe(`Input ${name}: is not an input of this action.`);
    for (const action of entry.of) expect(error.hint).toContain(action);
    expect(error.hint).toContain(entry.use ? `this action calls it ${entry.use}.` : (entry.note as string));
  });

  it.each([
    ['role-to-asume', 'role-to-assume'],
    ['role_to_assume', 'role-to-assume'],
    ['acess-key-secret', 'access-key-secret'],
    ['oidc-provider', 'oidc-provider-arn'],
    ['role-session-expiry', 'role-session-expiration'],
    ['regions', 'region'],
  ])('a typo, %s, names the closest input, %s', (typed, meant) => {
    const error = failureOf([inputVariable(typed)]);
    expect(error.message).toBe(`Input ${typed}: is not an input of this action.`);
    expect(error.hint).toBe(`Did you mean ${meant}?`);
  });

  it('a name near no input says to remove it, and where else it may come from', () => {
    const error = failureOf(['INPUT_DEBUG-LEVEL']);
    expect(error.message).toBe('Input debug-level: is not an input of this action.');
    expect(error.hint).toMatch(/^Remove it; .*INPUT_DEBUG-LEVEL/);
    expect(closestInput('debug-level', ACTION_INPUTS)).toBeUndefined();
    expect(closestInput('role', ACTION_INPUTS)).toBeUndefined();
  });

  it('names every unknown input, the first in the message', () => {
    const error = failureOf([inputVariable('aws-region'), 'HOME', inputVariable('role-duration-seconds')]);
    expect(error.message).toBe('Input aws-region: is not an input of this action (nor is role-duration-seconds).');
    expect(error.hint?.split('\n')).toEqual([
      `aws-region: It is an input of ${FOREIGN_INPUTS['aws-region'].of[0]}; this action calls it region.`,
      `role-duration-seconds: It is an input of ${FOREIGN_INPUTS['role-duration-seconds'].of.join(' and ')}; this action calls it role-session-expiration.`,
    ]);
  });

  it('says "nor are" for two others or more', () => {
    const error = failureOf([inputVariable('aws-region'), inputVariable('role-duration-seconds'), inputVariable('aws-profile')]);
    expect(error.message).toBe('Input aws-region: is not an input of this action (nor are role-duration-seconds, aws-profile).');
  });
});
