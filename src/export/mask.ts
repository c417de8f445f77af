// Masking: once a value is registered, the runner replaces it with *** wherever the job's log would show it.

import * as core from '@actions/core';

export function mask(secret: string | undefined): void {
  if (secret) core.setSecret(secret);
}
