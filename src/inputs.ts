// Readers for single input values, shared by config.ts and the sources that own inputs. Pure: no I/O.

import { InputError } from './errors.js';

/** Reads one input: the trimmed value, or '' when it is not set. */
export type InputReader = (name: string) => string;
export type Env = Readonly<Record<string, string | undefined>>;

/** `parse(value)` for a set input, undefined for an empty one. */
export function optional<T>(value: string, parse: (value: string) => T): T | undefined {
  return value === '' ? undefined : parse(value);
}

export function readBoolean(input: InputReader, name: string, fallback: boolean): boolean {
  const value = input(name);
  if (value === '') return fallback;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new InputError(name, `"${value}" is not a boolean.`, 'Write true or false.');
}

export function readInteger(input: InputReader, name: string, fallback: number, range: { min: number; max: number; unit: string }): number {
  const value = input(name);
  if (value === '') return fallback;
  const { min, max, unit } = range;
  if (!/^\d+$/.test(value)) throw new InputError(name, `"${value}" is not a whole number.`, `Write a number of ${unit} from ${min} to ${max}.`);
  const number = Number(value);
  if (number < min || number > max) throw new InputError(name, `${value} is out of range.`, `Write a number of ${unit} from ${min} to ${max}.`);
  return number;
}

/** A URL's hostname without the brackets around an IPv6 address. */
export function bareHostname(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '');
}

/** The variables among `names` that are set (not empty) in `env`. */
export function pickSet(env: Env, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
}

export function isLoopback(hostname: string): boolean {
  const host = bareHostname(hostname);
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** A private address named as an IP: 10/8, 172.16/12, 192.168/16, or an IPv6 unique local address. */
export function isPrivateIp(hostname: string): boolean {
  const octets = hostname.split('.').map(Number);
  if (octets.length !== 4 || octets.some((octet) => !Number.isInteger(octet) || octet < 0 || octet > 255)) {
    return /^\[f[cd][0-9a-f]{2}:/i.test(hostname);
  }
  const [a, b] = octets;
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** The variable the runner passes an input in: `INPUT_` and the name upper-cased, spaces as `_`, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

const AWS = 'aws-actions/configure-aws-credentials';
const MOZILLAZG = 'mozillazg/alibabacloud-oidc-auth';
const OFFICIAL = 'aliyun/configure-aliyun-credentials-action';

/**
 * Inputs of other credentials actions (their action.yml, and the official action's README) that this action does
 * not have: the input meant here (`use`), or why there is none (`note`). Names they share with this action are
 * inputs here and need no entry.
 */
export const FOREIGN_INPUTS: Readonly<Record<string, { readonly of: readonly string[]; readonly use?: string; readonly note?: string }>> = {
  'aws-region': { of: [AWS], use: 'region' },
  'aws-default-region': { of: [AWS], use: 'region' },
  'aws-access-key-id': { of: [AWS], use: 'access-key-id' },
  'aws-secret-access-key': { of: [AWS], use: 'access-key-secret' },
  'aws-session-token': { of: [AWS], use: 'security-token' },
  'aws-profile': { of: [AWS], use: 'aliyun-profile' },
  'overwrite-aws-profile': { of: [AWS], note: 'the `aliyun-profile` this action writes must not exist yet: remove it' },
  'web-identity-token-file': { of: [AWS], use: 'oidc-token-file' },
  'role-duration-seconds': { of: [AWS, MOZILLAZG], use: 'role-session-expiration' },
  'mask-aws-account-id': { of: [AWS], use: 'mask-account-id' },
  'output-env-credentials': { of: [AWS], use: 'export-env' },
  'disable-retry': { of: [AWS], note: 'write `retry-max-attempts: 1` instead' },
  'http-proxy': { of: [AWS], note: "set HTTPS_PROXY in the step's `env:` instead" },
  'no-proxy': { of: [AWS], note: "set NO_PROXY in the step's `env:` instead" },
  'role-skip-session-tagging': { of: [AWS], note: 'this action sets no session tags: remove it' },
  'transitive-tag-keys': { of: [AWS], note: 'this action sets no session tags: remove it' },
  'custom-tags': { of: [AWS], note: 'this action sets no session tags: remove it' },
  'managed-session-policies': { of: [AWS], note: 'STS takes no managed policies with a role session: narrow it with `inline-session-policy`' },
  'unset-current-credentials': { of: [AWS], note: 'this action always replaces and clears the credential variables: remove it' },
  'special-characters-workaround': { of: [AWS], note: 'remove it' },
  'use-existing-credentials': { of: [AWS], note: 'remove it, or use `role-chaining: true` to start from the credentials already set' },
  'force-skip-oidc': { of: [AWS], note: 'the source is the one whose inputs you give: remove it' },
  'action-timeout-s': { of: [AWS], note: "use the step's `timeout-minutes` instead" },
  'role-arn-to-assume': { of: [MOZILLAZG], use: 'role-to-assume' },
  'export-environment-variables': { of: [MOZILLAZG], use: 'export-env' },
  'set-outputs': { of: [MOZILLAZG], use: 'output-credentials' },
  retries: { of: [MOZILLAZG], use: 'retry-max-attempts' },
  'role-chain': { of: [OFFICIAL], use: 'role-chaining' },
  'resource-role-to-assume': { of: [OFFICIAL], note: 'assume the second role in a second step with `role-chaining: true` and `role-to-assume`' },
};

/**
 * Fails on the first `INPUT_*` variable that is none of `inputs` (the action's inputs, as action.yml declares
 * them): the runner only warns about an input the action does not have, and the action would go on without it.
 * Names the input, and the input it means: a foreign action's name, or a typo's closest input. Never the value.
 */
export function checkInputNames(variables: readonly string[], inputs: readonly string[]): void {
  const known = new Set(inputs.map(inputVariable));
  const unknown = variables.filter((variable) => variable.startsWith('INPUT_') && variable.length > 6 && !known.has(variable.toUpperCase()));
  if (unknown.length === 0) return;
  const names = unknown.map((variable) => variable.slice(6).toLowerCase());
  const rest = names.slice(1);
  const others = rest.length === 0 ? '' : ` (nor ${rest.length === 1 ? 'is' : 'are'} ${rest.join(', ')})`;
  const advice = names.map((name) => (names.length > 1 ? `${name}: ${adviceFor(name, inputs)}` : adviceFor(name, inputs)));
  throw new InputError(names[0], `is not an input of this action${others}.`, advice.join('\n'));
}

function adviceFor(name: string, inputs: readonly string[]): string {
  const foreign = FOREIGN_INPUTS[name];
  if (foreign) {
    const whose = `an input of ${foreign.of.join(' and ')}`;
    return foreign.use ? `It is ${whose}; this action calls it ${foreign.use}.` : `It is ${whose}; ${foreign.note}.`;
  }
  const closest = closestInput(name, inputs);
  if (closest) return `Did you mean ${closest}?`;
  return `Remove it; action.yml lists the inputs. If it is not under \`with:\`, the job's \`env:\` or an earlier step set ${inputVariable(name)}.`;
}

/** The input nearest to a mistyped name (`_` and spaces read as `-`), if it is near enough to be the one meant. */
export function closestInput(name: string, inputs: readonly string[]): string | undefined {
  const typed = name.toLowerCase().replace(/[_ ]/g, '-');
  let best: { input: string; distance: number } | undefined;
  for (const input of inputs) {
    const distance = editDistance(typed, input);
    if (!best || distance < best.distance) best = { input, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(typed.length / 3)) ? best.input : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
