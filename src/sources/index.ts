// The registry of credential sources. Adding a source: a file in this folder and one line here (docs/ARCHITECTURE.md).

import { accessKey } from './access-key.js';
import { credentialsUri } from './credentials-uri.js';
import { defaultChain } from './default-chain.js';
import { ecsRamRole } from './ecs-metadata.js';
import { chooseGithubToken, githubOidc } from './github-oidc.js';
import { roleChaining } from './role-chaining.js';
import type { SourceEntry } from './source.js';
import { tokenFile } from './token-file.js';

/** Sources selected by an input of their own; the action takes its credentials from exactly one. */
export const SOURCES: readonly SourceEntry[] = [tokenFile, accessKey, roleChaining, ecsRamRole, credentialsUri, defaultChain];

/** The OIDC flow's token (`oidc-provider-arn`) when no other source of a token is selected. */
export const chooseDefaultToken = chooseGithubToken;

/** Every input a source reads. */
export const SOURCE_INPUTS: readonly string[] = [...SOURCES.flatMap((source) => source.inputs), ...githubOidc.inputs];

/** Inputs whose values are secrets, masked before anything else runs. */
export const SECRET_INPUTS: readonly string[] = [...SOURCES.flatMap((source) => source.secretInputs), ...(githubOidc.secretInputs ?? [])];
