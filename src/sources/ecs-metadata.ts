// The ECS instance RAM role, from the metadata service. IMDSv2 first: a session token from
// PUT /latest/api/token, sent with every read. Only a service with no token endpoint at all (404/405)
// is read the v1 way. @alicloud/credentials' provider falls back to v1 on any token failure, which would
// quietly downgrade on an instance that enforces v2, so this reads the service itself.

import type { Credentials } from '../credentials.js';
import { ActionError, InputError } from '../errors.js';
import { jsonObject, request, statusError, type HttpResponse } from '../http.js';
import { optional } from '../inputs.js';
import { defineSource } from './source.js';
import { credentialsFromJson } from './sts-json.js';

const ORIGIN = 'http://100.100.100.200';
const SERVICE = 'The ECS metadata service';
const TOKEN_TTL_SECONDS = '300';
// On a runner outside ECS nothing answers at 100.100.100.200; give up quickly.
const TIMEOUTS = { connectTimeoutMs: 1000, readTimeoutMs: 2000 };
// RAM role names; '.' and '..' are refused too: in the metadata URL they would name another path.
const ROLE_NAME = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,64}$/;

export const ecsRamRole = defineSource<{ roleName: string }>({
  gives: 'credentials',
  selectedBy: 'ecs-ram-role',
  inputs: ['ecs-ram-role'],
  read: (input) =>
    optional(input('ecs-ram-role'), (roleName) => {
      if (!ROLE_NAME.test(roleName))
        throw new InputError(
          'ecs-ram-role',
          `"${roleName}" is not a RAM role name.`,
          'Give the name of the instance RAM role (not its ARN), e.g. ProwlerEcsRole.',
        );
      return { roleName };
    }),
  describe: ({ roleName }) => `ECS instance RAM role ${roleName}`,
  verifyUnassumed: false,
  renews: () => true,
  obtain: ({ roleName }, ctx) => ctx.retry('ECS metadata', () => fetchFromEcsMetadata(roleName)),
});

export async function fetchFromEcsMetadata(roleName: string): Promise<Credentials> {
  const token = await metadataToken();
  const res = await get(`${ORIGIN}/latest/meta-data/ram/security-credentials/${encodeURIComponent(roleName)}`, token);
  if (res.status === 404) {
    const roles = await get(`${ORIGIN}/latest/meta-data/ram/security-credentials/`, token);
    const attached = roles.status === 200 ? roles.body.trim().split(/\s+/).filter(Boolean) : [];
    throw new ActionError(
      'credentials',
      `The instance has no RAM role named ${roleName}.`,
      attached.length > 0
        ? `Set \`ecs-ram-role\` to the attached role: ${attached.join(', ')}.`
        : 'Attach a RAM role to the ECS instance (ECS console > instance > Instance RAM role), then set `ecs-ram-role` to its name.',
    );
  }
  if (res.status !== 200) throw statusError(res, SERVICE, 'Check the instance RAM role in the ECS console.');
  return credentialsFromJson(jsonObject(res, SERVICE), SERVICE, 'Check the instance RAM role in the ECS console.');
}

async function metadataToken(): Promise<string | undefined> {
  let res: HttpResponse;
  try {
    res = await request({
      url: `${ORIGIN}/latest/api/token`,
      method: 'PUT',
      headers: { 'x-aliyun-ecs-metadata-token-ttl-seconds': TOKEN_TTL_SECONDS },
      service: SERVICE,
      ...TIMEOUTS,
    });
  } catch (error) {
    // Not worth retrying: on a machine outside ECS the address never answers.
    throw new ActionError(
      'input',
      `No ECS metadata service answered at ${ORIGIN} (${(error as Error).message}).`,
      '`ecs-ram-role` works only on a self-hosted runner on an ECS instance; on GitHub-hosted runners use the OIDC flow (`role-to-assume` + `oidc-provider-arn`). On an ECS instance, check that the job (or its container network) can reach 100.100.100.200.',
    );
  }
  if (res.status === 200 && res.body.trim()) return res.body.trim();
  if (res.status === 404 || res.status === 405) return undefined;
  throw statusError(res, SERVICE, 'The metadata service refused a session token (IMDSv2).');
}

function get(url: string, token: string | undefined): Promise<HttpResponse> {
  return request({ url, headers: token ? { 'x-aliyun-ecs-metadata-token': token } : {}, service: SERVICE, ...TIMEOUTS });
}
