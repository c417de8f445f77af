// Entry of the post step (dist/post/index.js): undoes what the main step's state says it did.
// It never loads the STS SDK, and it succeeds even when the main step failed half-way.

import * as core from '@actions/core';

export async function post(): Promise<void> {
  try {
    core.debug('Nothing to clean up.');
  } catch (error) {
    core.warning(`Cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

await post();
