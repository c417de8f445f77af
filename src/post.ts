// Entry of the post step (dist/post/index.js): undoes what the main step's state says it did.
// It never loads the STS SDK, and it succeeds even when the main step failed half-way.

import { writeSync } from 'node:fs';
import { STATE_PROFILE, STATE_REFRESH } from './state.js';
import { oneLine } from './text.js';

// What this step needs of @actions/core, written out the way @actions/core writes it: even without its HTTP client,
// loading the package costs more than a step that mostly prints one line, and the budget is 1.2x a bare `node` start
// (docs/ARCHITECTURE.md, `npm run bench`). For the same reason the cleanups load on demand, with the built-in modules
// only they need (node:crypto, node:os).
const EOL = process.platform === 'win32' ? '\r\n' : '\n';
/**
 * Writes to the step's log straight to file descriptor 1: setting up process.stdout (a stream over the runner's pipe)
 * took longer than the rest of a post step with nothing to do. A pipe left non-blocking by someone else may refuse
 * a write for a moment (EAGAIN); the write is then tried again.
 */
function print(text: string): void {
  const bytes = Buffer.from(text);
  for (let done = 0; done < bytes.length; ) {
    try {
      done += writeSync(1, bytes, done);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

const core = {
  getState: (name: string): string => process.env[`STATE_${name}`] || '',
  info: (message: string): void => void print(oneLine(message) + EOL),
  warning: (message: string): void => command('warning', message),
  startGroup: (name: string): void => command('group', name),
  endGroup: (): void => command('endgroup', ''),
};

function command(name: string, message: string): void {
  print(`::${name}::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}${EOL}`);
}

export async function post(): Promise<void> {
  const refresh = core.getState(STATE_REFRESH);
  const profile = core.getState(STATE_PROFILE);
  if (!refresh && !profile) {
    core.info('Nothing to clean up.');
    return;
  }
  if (refresh) {
    await cleanUp('stop the refresh helper', async () => {
      const [{ stopRefreshHelper }, { isHelperState }, { randomBytes }] = await Promise.all([
        import('./refresh/stop.js'),
        import('./refresh/protocol.js'),
        import('node:crypto'),
      ]);
      const state: unknown = JSON.parse(refresh);
      if (!isHelperState(state)) throw new Error('the saved state of the refresh helper is not what the main step writes; nothing was stopped');
      const report = await stopRefreshHelper(state, process.env.RUNNER_TEMP || undefined);
      core.startGroup('Refresh helper log');
      // The log quotes answers of STS or a broker: stop the runner from reading any line of it as a command.
      const fence = randomBytes(16).toString('hex');
      print(`::stop-commands::${fence}${EOL}`);
      for (const line of report.log.trimEnd().split('\n')) core.info(line);
      print(`::${fence}::${EOL}`);
      core.endGroup();
      if (report.stopped) core.info(report.message);
      else core.warning(report.message);
    });
  }
  if (profile) {
    await cleanUp('remove the aliyun CLI profile', async () => {
      const { isProfileState, profilePath, removeProfile } = await import('./export/profile.js');
      const state: unknown = JSON.parse(profile);
      if (!isProfileState(state)) throw new Error('the saved state of the aliyun CLI profile is not what the main step writes; nothing was removed');
      // Always the file of the current HOME: the state names the profile, never a path.
      core.info(await removeProfile(profilePath(), state));
    });
  }
}

/** Each cleanup runs even when another failed; a failure is a warning, since the job's work is done. */
async function cleanUp(what: string, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    core.warning(`Could not ${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// Not a top-level await: this step is bundled as CommonJS (scripts/package.mjs). post() settles every cleanup itself.
void post();
