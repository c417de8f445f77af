// Helpers of `npm run bench`: timed children, order statistics, request counts, byte counts, table cells.

import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Runs a child without blocking this process (the emulator and the delay proxies keep serving). `wallMs` is spawn
 * to exit; `spawnedAt` and `exitedAt` are Date.now() then, comparable with the emulator's request times.
 * @returns {Promise<{ code: number | null, wallMs: number, spawnedAt: number, exitedAt: number, stdout: string, stderr: string }>}
 */
export function spawnTimed(/** @type {string} */ command, /** @type {string[]} */ args, /** @type {Record<string, string>} */ env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const spawnedAt = Date.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    /** @type {{ code: number | null, wallMs: number, spawnedAt: number, exitedAt: number }} */
    let exit;
    child.on('exit', (code) => (exit = { code, wallMs: performance.now() - started, spawnedAt, exitedAt: Date.now() }));
    child.on('close', () => resolve({ ...exit, stdout, stderr }));
  });
}

/** Median, p10, p90, quartiles, min and max of `values` (linear interpolation). */
export function stats(/** @type {number[]} */ values) {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (/** @type {number} */ p) => {
    const at = (sorted.length - 1) * p;
    const lo = Math.floor(at);
    return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (at - lo);
  };
  return { median: q(0.5), p10: q(0.1), p90: q(0.9), q1: q(0.25), q3: q(0.75), min: sorted[0], max: sorted.at(-1), n: sorted.length };
}

export function mean(/** @type {number[]} */ values) {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Per-run request counts by target; `same` when every run made the same requests. */
export function countRequests(/** @type {string[][]} */ perRun) {
  const counts = perRun.map((targets) => {
    /** @type {Record<string, number>} */
    const c = {};
    for (const t of targets) c[t] = (c[t] ?? 0) + 1;
    return c;
  });
  return { summary: counts[0] ?? {}, same: counts.every((c) => sameCounts(c, counts[0])) };
}

export function sameCounts(/** @type {Record<string, number>} */ a, /** @type {Record<string, number>} */ b) {
  const key = (/** @type {Record<string, number>} */ c) => JSON.stringify(Object.entries(c).sort());
  return key(a) === key(b);
}

export function formatRequests(/** @type {Record<string, number>} */ counts) {
  const entries = Object.entries(counts);
  return entries.length ? entries.map(([k, v]) => `${v} ${k}`).join(' + ') : 'none';
}

/** Bytes of each file under `root` (recursively), and their total. */
export function sizes(/** @type {string} */ root) {
  /** @type {Record<string, number>} */
  const files = {};
  let total = 0;
  const walk = (/** @type {string} */ dir, /** @type {string} */ prefix) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path, `${prefix}${name}/`);
      else {
        files[`${prefix}${name}`] = statSync(path).size;
        total += files[`${prefix}${name}`];
      }
    }
  };
  walk(root, '');
  return { files, total };
}

export function pad(/** @type {unknown} */ text, /** @type {number} */ width) {
  return String(text).padEnd(width);
}

/** `a / b` as "0.93x", or "-" when either is missing. */
export function ratio(/** @type {number | undefined} */ a, /** @type {number | undefined} */ b) {
  return a === undefined || b === undefined ? '-' : `${(a / b).toFixed(2)}x`;
}
