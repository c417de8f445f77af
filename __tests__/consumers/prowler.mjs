// Which credentials `prowler alibabacloud` would use in a later step, decided from that step's environment the
// way Prowler's Alibaba Cloud provider decides: AlibabacloudProvider.setup_session in
// prowler-cloud/prowler@cb125d5ceef470d1c31969dcbb9416537ca9e074:prowler/providers/alibabacloud/alibabacloud_provider.py
// (docs/CONSUMERS.md). Python is not needed: this is a model of that code, kept to its rules:
//   - a value is looked up with `NAME in os.environ` (so an exported empty string is "present"),
//   - but every decision tests truthiness, so an empty value counts as unset;
//   - order: credentials URI, OIDC role (only with --oidc-role-arn), ECS RAM role, RAM role assumption
//     (keys + ALIBABA_CLOUD_ROLE_ARN), STS credentials (keys + token), permanent AccessKey, else no credentials
//     (its `# 7. Default credential chain` passes a Config without a type to alibabacloud_credentials, whose
//     Client raises 'invalid type option' for it: aliyun/credentials-python@4429d82931ee1da80195fecbb2a56240ff5be8b1:
//     alibabacloud_credentials/client.py, and Prowler raises AlibabaCloudNoCredentialsError).
// Usage: node prowler.mjs [--credentials-uri U] [--oidc-role-arn A] [--ecs-ram-role R] [--role-arn A]
//   (Prowler's own command-line options; the environment is this process's.)
// Prints one JSON line: {method, accessKeyId, hasSecurityToken, detail}. accessKeyId is the AccessKey ID
// Prowler ends up signing with, or null when it would first fetch or assume other credentials.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

/**
 * @param {Record<string, string | undefined>} env the environment of the step that runs Prowler
 * @param {{credentialsUri?: string, oidcRoleArn?: string, ecsRamRole?: string, roleArn?: string}} [cli] Prowler's options
 */
export function prowlerCredentials(env, cli = {}) {
  const present = (name) => Object.hasOwn(env, name) && env[name] !== undefined;
  const read = (name) => (present(name) ? String(env[name]) : undefined);

  let { credentialsUri, oidcRoleArn, ecsRamRole, roleArn } = cli;
  let oidcProviderArn;
  if (oidcRoleArn && present('ALIBABA_CLOUD_OIDC_PROVIDER_ARN')) oidcProviderArn = read('ALIBABA_CLOUD_OIDC_PROVIDER_ARN');
  const oidcTokenFile = read('ALIBABA_CLOUD_OIDC_TOKEN_FILE');
  if (!credentialsUri && present('ALIBABA_CLOUD_CREDENTIALS_URI')) credentialsUri = read('ALIBABA_CLOUD_CREDENTIALS_URI');
  if (!ecsRamRole && present('ALIBABA_CLOUD_ECS_METADATA')) ecsRamRole = read('ALIBABA_CLOUD_ECS_METADATA');
  // ALIBABA_CLOUD_* first, ALIYUN_* for compatibility: the first name that is present wins, even when empty.
  const accessKeyId = present('ALIBABA_CLOUD_ACCESS_KEY_ID') ? read('ALIBABA_CLOUD_ACCESS_KEY_ID') : read('ALIYUN_ACCESS_KEY_ID');
  const accessKeySecret = present('ALIBABA_CLOUD_ACCESS_KEY_SECRET') ? read('ALIBABA_CLOUD_ACCESS_KEY_SECRET') : read('ALIYUN_ACCESS_KEY_SECRET');
  const securityToken = read('ALIBABA_CLOUD_SECURITY_TOKEN');
  if (!roleArn && present('ALIBABA_CLOUD_ROLE_ARN') && !oidcProviderArn) roleArn = read('ALIBABA_CLOUD_ROLE_ARN');

  if (credentialsUri) return { method: 'credentials-uri', accessKeyId: null, hasSecurityToken: true, detail: `fetches ${credentialsUri}` };
  if (oidcRoleArn && oidcProviderArn && oidcTokenFile) {
    return { method: 'oidc-role-arn', accessKeyId: null, hasSecurityToken: true, detail: `AssumeRoleWithOIDC ${oidcRoleArn} with ${oidcTokenFile}` };
  }
  if (ecsRamRole) return { method: 'ecs-ram-role', accessKeyId: null, hasSecurityToken: true, detail: `metadata service role ${ecsRamRole}` };
  if (accessKeyId && accessKeySecret) {
    if (roleArn) return { method: 'ram-role-arn', accessKeyId: null, hasSecurityToken: true, detail: `AssumeRole ${roleArn} signed by ${accessKeyId}` };
    if (securityToken) return { method: 'sts', accessKeyId, hasSecurityToken: true, detail: 'STS credentials from the environment' };
    return { method: 'access-key', accessKeyId, hasSecurityToken: false, detail: 'AccessKey from the environment' };
  }
  // Step 7 keeps a Config without a type, which the pinned SDK refuses ('invalid type option'); Prowler turns that
  // into AlibabaCloudNoCredentialsError. The comment above the chain speaks of a default chain; none runs.
  return { method: 'none', accessKeyId: null, hasSecurityToken: false, detail: 'no credentials (AlibabaCloudNoCredentialsError)' };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      'credentials-uri': { type: 'string' },
      'oidc-role-arn': { type: 'string' },
      'ecs-ram-role': { type: 'string' },
      'role-arn': { type: 'string' },
    },
  });
  const result = prowlerCredentials(process.env, {
    credentialsUri: values['credentials-uri'],
    oidcRoleArn: values['oidc-role-arn'],
    ecsRamRole: values['ecs-ram-role'],
    roleArn: values['role-arn'],
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
