// @ts-check
// Small pure helpers every part of the emulator uses: encodings, random identifiers, argument checks.
import crypto from 'node:crypto';

/** Alibaba's percent-encoding (RFC 3986): encodeURIComponent plus ! ' ( ) *. */
export function percentEncode(/** @type {string} */ s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** @param {number} ms */
export function isoSeconds(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** @param {number} n */
export function randomAlnum(n) {
  const bytes = crypto.randomBytes(n);
  let out = '';
  for (let i = 0; i < n; i++) out += ALNUM[bytes[i] % ALNUM.length];
  return out;
}
/** @param {number} n n digits, the first not 0 */
export function randomDigits(n) {
  const bytes = crypto.randomBytes(n);
  let out = String(1 + (bytes[0] % 9));
  for (let i = 1; i < n; i++) out += String(bytes[i] % 10);
  return out;
}
/** An upper-case UUID, like Alibaba's RequestId. */
export function requestId() {
  return crypto.randomUUID().toUpperCase();
}
/** @param {Buffer | string} b */
export function b64url(b) {
  return Buffer.from(b).toString('base64url');
}
/** @param {string} pattern StringLike pattern: * any run, ? one character */
export function globToRegExp(pattern) {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 's');
}
/** @param {string} a @param {string} b */
export function timingSafeEqualStr(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

// Checks of admin arguments: they throw plain Errors, which the admin API answers with 400.

/** @param {unknown} v @param {string} what */
export function checkDelay(v, what) {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${what} must be a number of milliseconds >= 0`);
  return v;
}
/** @param {unknown} v @param {string} what */
export function requireDigits(v, what) {
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new Error(`${what} must be a string of digits`);
  return v;
}
/** @param {unknown} v @param {string} what */
export function requireName(v, what) {
  if (typeof v !== 'string' || !/^[A-Za-z0-9._@-]{1,128}$/.test(v)) throw new Error(`${what} must be 1-128 of A-Za-z0-9._@-`);
  return v;
}
