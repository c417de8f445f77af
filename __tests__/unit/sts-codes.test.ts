import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { codes } from '../../emulator/codes.js';
import { describeGatewayCode, GATEWAY_CODES, gatewayKind } from '../../src/acs.js';
import { RESOURCE_MANAGER_ERROR_CODES } from '../../src/resource-manager.js';
import { describeStsCode, STS_ERROR_CODES, STS_MESSAGE_CODES } from '../../src/sts-codes.js';

const INPUTS = Object.keys((parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as { inputs: Record<string, unknown> }).inputs);
// What a user can change outside the workflow file: settings in RAM, of the IdP, of the runner, of the network.
const SETTINGS =
  /trust policy|RAM console|identity provider|IdP|sts:AssumeRole|AliyunSTSAssumeRoleAccess|AccessKey|clock|proxy|Maximum session duration|fingerprint|issuer/i;

describe('describeStsCode', () => {
  it('classifies codes, families and statuses', () => {
    expect(describeStsCode('Throttling.User', 400).kind).toBe('throttled');
    expect(describeStsCode('Throttling.Whatever', 400).kind).toBe('throttled');
    expect(describeStsCode('AuthenticationFail.OIDCToken.Something', 400).kind).toBe('trust');
    expect(describeStsCode('SignatureDoesNotMatch', 400).kind).toBe('credentials');
    expect(describeStsCode(undefined, 503).kind).toBe('server');
    expect(describeStsCode('Unknown', 403).kind).toBe('permission');
  });

  it('tells an unknown OIDC provider from a role that does not trust it by the message, not the code', () => {
    const unknown = describeStsCode('AuthenticationFail.NoPermission', 401, 'No such OIDC Provider registered.');
    expect(unknown.kind).toBe('input');
    expect(unknown.hint).toContain('`oidc-provider-arn`');
    expect(unknown.hint).toContain('`role-to-assume`');
    expect(unknown.hint).not.toMatch(/trust policy/i);
    // Upper or lower case, and with STS's trailing period or without.
    expect(describeStsCode('AuthenticationFail.NoPermission', 401, 'no such oidc provider registered')).toBe(unknown);
    expect(describeStsCode('AuthenticationFail.NoPermission', 401, 'There is no permission')).toBe(STS_ERROR_CODES['AuthenticationFail.NoPermission']);
    expect(describeStsCode('AuthenticationFail.NoPermission', 401)).toBe(STS_ERROR_CODES['AuthenticationFail.NoPermission']);
    // The message counts only with its own code.
    expect(describeStsCode('NoPermission', 403, 'No such OIDC Provider registered.')).toBe(STS_ERROR_CODES.NoPermission);
  });

  it('gives every code a hint that says what to change: an input, a setting, or that the action retries', () => {
    const inputsNamed = (hint: string) => [...hint.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]).filter((name) => INPUTS.includes(name));
    const entries: [string, { kind: string; hint: string }][] = [
      ...Object.entries(STS_ERROR_CODES),
      ...STS_MESSAGE_CODES.map((m): [string, { kind: string; hint: string }] => [`${m.code} (${m.message})`, m.info]),
    ];
    const vague = entries.filter(([, { kind, hint }]) => {
      if (kind === 'input') return inputsNamed(hint).length === 0;
      if (kind === 'throttled' || kind === 'server') return !/the action retries/i.test(hint);
      return inputsNamed(hint).length === 0 && !SETTINGS.test(hint);
    });
    expect(vague.map(([code]) => code)).toEqual([]);
    // Every input a hint names in backticks exists.
    const unknown = entries.flatMap(([, { hint }]) => [...hint.matchAll(/`([a-z]+(?:-[a-z]+)+)`/g)].map((m) => m[1]).filter((name) => !INPUTS.includes(name)));
    expect(unknown).toEqual([]);
  });
});

describe("the gateway's codes: one classification for STS and ResourceManager (acs.ts)", () => {
  it('the STS table and the ResourceManager table give each gateway code the kind the gateway does', () => {
    const differ = (table: Readonly<Record<string, { kind: string }>>) =>
      Object.entries(GATEWAY_CODES).filter(([code, kind]) => table[code] !== undefined && table[code].kind !== kind);
    expect(differ(STS_ERROR_CODES)).toEqual([]);
    expect(differ(RESOURCE_MANAGER_ERROR_CODES)).toEqual([]);
    // STS documents every gateway code, with a hint of its own.
    expect(Object.keys(GATEWAY_CODES).filter((code) => !STS_ERROR_CODES[code])).toEqual([]);
  });

  it.each([
    ['InvalidParameter.PageSize', 400, 'input'],
    ['MissingParameter.Something', 400, 'input'],
    ['InvalidTimeStamp.Whatever', 400, 'credentials'],
    ['SignatureNonceUsed', 400, 'server'],
    ['Throttling.Whatever', 400, 'throttled'],
    ['Forbidden.RAM', 403, 'permission'],
    [undefined, 403, 'permission'],
    [undefined, 404, 'server'],
    [undefined, 429, 'throttled'],
    [undefined, 502, 'server'],
    ['SomethingNew', 400, 'server'],
  ] as const)('%s at HTTP %s: %s, for STS too', (code, status, kind) => {
    expect(gatewayKind(code, status)).toBe(kind);
    expect(describeStsCode(code, status).kind).toBe(kind);
  });

  it('hints name only the product they are given', () => {
    const product = { name: 'ResourceManager', endpointInputs: '`endpoint`' };
    for (const [code, status] of [
      ['InvalidVersion', 400],
      ['SignatureNonceUsed', 400],
      ['X', 403],
      ['InvalidParameter.X', 400],
      [undefined, 503],
    ] as const) {
      const { hint } = describeGatewayCode(code, status, product);
      expect(hint).toContain('ResourceManager');
      expect(hint).not.toMatch(/STS|sts-endpoint/);
    }
  });
});

describe('the STS error table', () => {
  it('has an entry with a hint for every code the emulator (modelled on STS) answers', async () => {
    const missing = codes.map(({ code }) => code).filter((code) => !STS_ERROR_CODES[code]);
    expect(missing).toEqual([]);
  });
  it('is documented code by code in docs/TROUBLESHOOTING.md', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../docs/TROUBLESHOOTING.md', import.meta.url), 'utf8');
    const undocumented = Object.keys(STS_ERROR_CODES).filter((code) => !doc.includes(`\`${code}\``));
    expect(undocumented).toEqual([]);
    // A cause told apart by its message has a row of its own: the code and the message in one table row.
    const rows = doc.split('\n').filter((line) => line.startsWith('| '));
    const missing = STS_MESSAGE_CODES.filter(({ code, message }) => !rows.some((row) => row.includes(`\`${code}\``) && row.includes(message)));
    expect(missing).toEqual([]);
  });
  it('has its message-told causes among the emulator codes, with the message the emulator answers', () => {
    for (const { code, message } of STS_MESSAGE_CODES) {
      expect(codes.find((c) => c.code === code)?.when).toContain(message);
    }
  });
});
