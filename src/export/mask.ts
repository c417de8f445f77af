// Masking: once a value is registered, the runner replaces it with *** wherever the job's log would show it.

import * as core from '@actions/core';

export function mask(secret: string | undefined): void {
  if (secret) core.setSecret(secret);
}

/** The secrets a step meets: each is masked when first kept, and the set is what its failure message is redacted of. */
export function secretKeeper(): { readonly secrets: ReadonlySet<string>; keep(secret: string | undefined): void } {
  const secrets = new Set<string>();
  return {
    secrets,
    keep(secret) {
      if (!secret || secrets.has(secret)) return;
      secrets.add(secret);
      mask(secret);
    },
  };
}
