// Entry of the post step (dist/post/index.js): undoes what the main step's state says it did.
// It never loads the STS SDK, and it succeeds even when the main step failed half-way.

import * as core from '@actions/core';
import { removeProfile, type ProfileState } from './export/profile.js';
import { STATE_PROFILE } from './state.js';

export async function post(): Promise<void> {
  const profile = core.getState(STATE_PROFILE);
  if (!profile) {
    core.info('Nothing to clean up.');
    return;
  }
  try {
    core.info(removeProfile(JSON.parse(profile) as ProfileState));
  } catch (error) {
    core.warning(`Could not remove the aliyun CLI profile: ${error instanceof Error ? error.message : String(error)}`);
  }
}

await post();
