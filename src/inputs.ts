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

/** The URL, or undefined if it is none; `schemeIfNone` is put in front of a value written without a scheme. */
export function parseUrl(value: string, schemeIfNone?: string): URL | undefined {
  try {
    return new URL(schemeIfNone && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? `${schemeIfNone}://${value}` : value);
  } catch {
    return undefined;
  }
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
