// The runner's Alibaba Cloud default credential chain, as Alibaba's Node SDK (@alicloud/credentials) walks it:
// environment keys, the OIDC/RRSA variables, the aliyun CLI profile, the credentials file, the ECS metadata
// service, a credentials URI (docs/CONSUMERS.md has the order and what each reads). The SDK is loaded only in this
// flow, so the others do not pay for it.

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseCredentials } from '../credentials.js';
import { ActionError } from '../errors.js';
import { readBoolean } from '../inputs.js';
import { clip } from '../text.js';
import { defineSource } from './source.js';

/** Every variable the SDK's default chain reads (@alicloud/credentials 2.x), and HOME, where its files are. */
const CHAIN_VARIABLES = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'secret',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret',
  ALIBABA_CLOUD_SECURITY_TOKEN: 'secret',
  ALIBABA_CLOUD_ROLE_ARN: 'plain',
  ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'plain',
  ALIBABA_CLOUD_OIDC_TOKEN_FILE: 'plain',
  ALIBABA_CLOUD_ROLE_SESSION_NAME: 'plain',
  ALIBABA_CLOUD_STS_REGION: 'plain',
  ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: 'plain',
  ALIBABA_CLOUD_PROFILE: 'plain',
  ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'plain',
  ALIBABA_CLOUD_CREDENTIALS_FILE: 'plain',
  ALIBABA_CLOUD_ECS_METADATA: 'plain',
  ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'plain',
  ALIBABA_CLOUD_IMDSV1_DISABLED: 'plain',
  // A credentials URI may carry a token in its path.
  ALIBABA_CLOUD_CREDENTIALS_URI: 'secret',
  HOME: 'plain',
  USERPROFILE: 'plain',
} as const;

const TRIED =
  'the environment (ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET), OIDC (ALIBABA_CLOUD_ROLE_ARN, _OIDC_PROVIDER_ARN, _OIDC_TOKEN_FILE), ' +
  'the aliyun CLI profile (~/.aliyun/config.json, ALIBABA_CLOUD_PROFILE), the credentials file (ALIBABA_CLOUD_CREDENTIALS_FILE, else ' +
  '~/.alibabacloud/credentials, else ~/.alibabacloud/credentials.ini), the ECS metadata service and a credentials URI ' +
  '(ALIBABA_CLOUD_CREDENTIALS_URI)';

/**
 * The home directory as os.homedir() finds it (libuv's uv_os_homedir), where the SDK's profile and CLI profile
 * providers look: USERPROFILE on Windows (HOME ignored, though Git Bash sets it), HOME elsewhere, else the account's.
 * Python's os.path.expanduser('~') follows the same rules. `env` is what the SDK reads (process.env, once obtain()
 * has copied the step's variables into it).
 */
export function homeDirectory(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform,
  accountHome: () => string = homedir,
): string {
  return (platform === 'win32' ? env.USERPROFILE : env.HOME) || accountHome();
}

/**
 * The credentials file the chain's profile step reads. The Node and Go SDKs read ~/.alibabacloud/credentials, the
 * Python SDK (and so Prowler) ~/.alibabacloud/credentials.ini, all three ALIBABA_CLOUD_CREDENTIALS_FILE first. The
 * Node SDK walks the chain here; given Python's file only, it is pointed at that file, at the same step of the chain.
 */
function credentialsFile(env: Readonly<Record<string, string | undefined>>): { path: string; variable?: string } {
  if (env.ALIBABA_CLOUD_CREDENTIALS_FILE) return { path: env.ALIBABA_CLOUD_CREDENTIALS_FILE };
  const dir = join(homeDirectory(env), '.alibabacloud');
  const nodeAndGo = join(dir, 'credentials');
  const python = join(dir, 'credentials.ini');
  if (!existsSync(nodeAndGo) && existsSync(python)) return { path: python, variable: python };
  return { path: nodeAndGo };
}

/**
 * How much of the SDK's chain message an error quotes: one reason per provider, joined, about 450 characters with a
 * short HOME. The credentials file's comes fourth (after the environment's and the CLI profile's), and it is the one
 * a misconfigured credentials file or credentials.ini needs; the default QUOTE_MAX would cut it.
 */
const CHAIN_MESSAGE_MAX = 1500;

interface ChainAnswer {
  readonly accessKeyId?: string;
  readonly accessKeySecret?: string;
  readonly securityToken?: string;
  readonly providerName?: string;
}
/** The part of the SDK's client used here: without a config it walks the default chain. */
type CredentialClient = new () => { getCredential(): Promise<ChainAnswer> };

export const defaultChain = defineSource<true>({
  gives: 'credentials',
  selectedBy: 'default-chain',
  inputs: ['default-chain'],
  variables: CHAIN_VARIABLES,
  read: (input) => (readBoolean(input, 'default-chain', false) ? true : undefined),
  describe: () => "the runner's default credential chain",
  verifyUnassumed: false,
  renews: () => true,
  async obtain(_settings, ctx) {
    // The SDK reads process.env itself: it must see exactly what this source declares (the refresh helper's own
    // environment holds nothing else).
    for (const [name, value] of Object.entries(ctx.env)) process.env[name] = value;
    const file = credentialsFile(process.env);
    if (file.variable !== undefined) process.env.ALIBABA_CLOUD_CREDENTIALS_FILE = file.variable;
    const sdk: { default: unknown } = await import('@alicloud/credentials');
    // Node hands over module.exports as `default`; a bundler that honours `__esModule` hands over the exports.
    const Credential = (typeof sdk.default === 'function' ? sdk.default : (sdk.default as { default: unknown }).default) as CredentialClient;
    let answer: ChainAnswer;
    try {
      answer = await new Credential().getCredential();
    } catch (error) {
      throw new ActionError(
        'credentials',
        `Input default-chain: no provider of the default credential chain had credentials (${clip(error instanceof Error ? error.message : String(error), CHAIN_MESSAGE_MAX)}).`,
        `Tried ${TRIED}. Configure one of them on the runner, or use another source.`,
      );
    }
    const provider = String(answer.providerName ?? 'unknown').replace(/^default\//, '');
    const parsed = parseCredentials(answer, false);
    if (parsed.problem !== undefined) {
      throw new ActionError(
        'credentials',
        `The default credential chain's ${provider} provider gave credentials that ${parsed.problem}.`,
        'Check what that provider reads.',
      );
    }
    const read = provider.startsWith('profile') ? ` It read the credentials file ${file.path}.` : '';
    ctx.log(`The default credential chain answered through its ${provider} provider.${read}`);
    return parsed.credentials;
  },
});
