// @ts-check
// The GitHub runner's step conventions in plain Node ESM, for scripts that cannot import the .ts harness
// (scripts/bench.mjs); runner.ts follows the same conventions and could import these: INPUT_* with the
// defaults of action.yml, fresh GITHUB_ENV/OUTPUT/STATE/STEP_SUMMARY files per step, STATE_* for post.

import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

/** @type {Map<string, Record<string, { default?: unknown }>>} */
const inputsOf = new Map();
/** The inputs of an action.yml (this action's unless `file` names another) with their defaults. */
export function actionInputs(file = join(ROOT, 'action.yml')) {
  let inputs = inputsOf.get(file);
  if (!inputs) {
    inputs = /** @type {{ inputs: Record<string, { default?: unknown }> }} */ (parse(readFileSync(file, 'utf8'))).inputs ?? {};
    inputsOf.set(file, inputs);
  }
  return inputs;
}

// What Windows needs of the environment for a process to start and resolve names; nothing else is inherited.
const WINDOWS_BASE = ['SystemRoot', 'windir', 'ComSpec', 'PATHEXT', 'TEMP', 'TMP'];

/** The base environment of a job whose runner temp dir (and HOME) is `dir`. */
export function jobEnv(/** @type {string} */ dir, /** @type {Record<string, string>} */ extra = {}) {
  const home = extra.HOME ?? join(dir, 'home');
  return {
    ...(process.platform === 'win32'
      ? { ...Object.fromEntries(WINDOWS_BASE.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : []))), USERPROFILE: home }
      : {}),
    PATH: process.env.PATH ?? '',
    HOME: home,
    RUNNER_TEMP: join(dir, 'tmp'),
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_RUN_ID: '1234567890',
    GITHUB_ACTIONS: 'true',
    ...extra,
  };
}

/**
 * The environment of one step: the job's env, INPUT_* (defaults of action.yml unless given), STATE_* (post only),
 * and four fresh, empty file-command files named after `step` inside `dir`. `action` is the action.yml whose inputs
 * the step gets: this action's unless given (the bench also runs another action).
 * @param {{ dir: string, step: number | string, entry: 'main' | 'post', env: Record<string, string>,
 *   inputs?: Record<string, string>, state?: Record<string, string>, action?: string }} opts
 */
export function stepEnv({ dir, step, entry, env, inputs: given = {}, state = {}, action }) {
  const spec = actionInputs(action);
  for (const name of Object.keys(given)) if (!(name in spec)) throw new Error(`unknown input ${name}`);
  /** @type {Record<string, string>} */
  const inputEnv = {};
  // The runner passes every default as a string (a YAML number such as 1800 too).
  for (const [name, { default: value }] of Object.entries(spec)) inputEnv[`INPUT_${name.toUpperCase()}`] = given[name] ?? String(value ?? '');
  const stateEnv = entry === 'post' ? Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v])) : {};
  const files = {
    GITHUB_ENV: join(dir, `env-${step}`),
    GITHUB_OUTPUT: join(dir, `output-${step}`),
    GITHUB_STATE: join(dir, `state-${step}`),
    GITHUB_STEP_SUMMARY: join(dir, `summary-${step}`),
  };
  for (const path of Object.values(files)) writeFileSync(path, '');
  return { env: { ...env, ...inputEnv, ...stateEnv, ...files }, files };
}

/** What a step wrote to its file-command files. */
export function readStep(/** @type {{ GITHUB_ENV: string, GITHUB_OUTPUT: string, GITHUB_STATE: string, GITHUB_STEP_SUMMARY: string }} */ files) {
  return {
    exported: parseFileCommand(readFileSync(files.GITHUB_ENV, 'utf8')),
    outputs: parseFileCommand(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    state: parseFileCommand(readFileSync(files.GITHUB_STATE, 'utf8')),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
  };
}

/** `name<<DELIM\nvalue\nDELIM` blocks (and `name=value` lines), as @actions/core writes the file commands. */
export function parseFileCommand(/** @type {string} */ text) {
  /** @type {Record<string, string>} */
  const out = {};
  // @actions/core ends lines with os.EOL: \r\n on Windows.
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]);
      out[name] = value.join('\n');
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=');
      out[lines[i].slice(0, at)] = lines[i].slice(at + 1);
    }
  }
  return out;
}
