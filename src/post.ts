// Entry of the post step (dist/post/index.js): undoes what the main step's state says it did.
// It never loads the STS SDK, and it succeeds even when the main step failed half-way.

import * as core from '@actions/core';
import { removeProfile, type ProfileState } from './export/profile.js';
import { stopRefreshHelper } from './refresh/stop.js';
import { STATE_PROFILE, STATE_REFRESH } from './state.js';

export async function post(): Promise<void> {
  const refresh = core.getState(STATE_REFRESH);
  const profile = core.getState(STATE_PROFILE);
  if (!refresh && !profile) {
    core.info('Nothing to clean up.');
    return;
  }
  if (refresh) {
    await cleanUp('stop the refresh helper', async () => {
      const { pid, logFile } = JSON.parse(refresh) as { pid: number; logFile: string };
      const report = await stopRefreshHelper(pid, logFile);
      core.startGroup('Refresh helper log');
      core.info(report.log);
      core.endGroup();
      if (report.stopped) core.info(report.message);
      else core.warning(report.message);
    });
  }
  if (profile) await cleanUp('remove the aliyun CLI profile', async () => core.info(removeProfile(JSON.parse(profile) as ProfileState)));
}

/** Each cleanup runs even when another failed; a failure is a warning, since the job's work is done. */
async function cleanUp(what: string, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    core.warning(`Could not ${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

await post();
