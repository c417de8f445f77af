#!/usr/bin/env node
// A stand-in for the aliyun CLI, for the tests of examples/setup/ and of docs/SETUP.md's CLI recipe: RAM and IMS
// cannot run here, so this models the part of them the setup uses. It records every call (product, API, parameters)
// as a JSON line in $STAND_IN_LOG, keeps the account's identity providers, roles and attached policies in the JSON file
// $STAND_IN_STATE, and answers as the aliyun CLI does: the API's JSON answer on stdout and exit 0, or an error on
// stderr ("ERROR: SDK.ServerError", "ErrorCode: <code>", …) and exit 1. The answers' shapes follow Alibaba's SDK
// models (github.com/aliyun/alibabacloud-java-sdk: ims-20190815 ListOIDCProvidersResponseBody @ 11217b54e138,
// ram-20150501 GetRoleResponseBody @ 17171e6562db, UpdateRoleRequest @ 476a345e01ad); the error codes those of
// RAM's documentation (EntityNotExist.Role, EntityAlreadyExists.Role, …).
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

const [product, api, ...rest] = process.argv.slice(2);
const params = {};
for (let i = 0; i < rest.length; i += 2) {
  if (!rest[i].startsWith('--') || i + 1 >= rest.length) fail('SDK.InvalidParameter', `cannot read the flags at ${rest[i]}`);
  params[rest[i].slice(2)] = rest[i + 1];
}
appendFileSync(process.env.STAND_IN_LOG, `${JSON.stringify({ product, api, params })}\n`);

const statePath = process.env.STAND_IN_STATE;
const account = process.env.STAND_IN_ACCOUNT;
const state = existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')) : { providers: {}, roles: {} };
const save = () => writeFileSync(statePath, JSON.stringify(state, null, 2));
const requestId = () => crypto.randomUUID().toUpperCase();

function fail(code, message) {
  process.stderr.write(
    `ERROR: SDK.ServerError\nErrorCode: ${code}\nRecommend: https://api.aliyun.com/troubleshoot?q=${code}\nRequestId: ${requestId()}\nMessage: ${message}\n`,
  );
  process.exit(1);
}
function answer(body) {
  process.stdout.write(`${JSON.stringify({ RequestId: requestId(), ...body }, null, 2)}\n`);
  process.exit(0);
}
function required(...names) {
  for (const name of names)
    if (!params[name]) fail(`MissingParameter.${name}`, `The input parameter "${name}" that is mandatory for processing this request is not supplied.`);
}
const list = (value) => value.split(',').map((v) => v.trim());
const provider = () =>
  state.providers[params.OIDCProviderName] ?? fail('EntityNotExist.OIDCProvider', `The OIDC provider does not exist: ${params.OIDCProviderName}.`);
const role = () => state.roles[params.RoleName] ?? fail('EntityNotExist.Role', `The role not exists: ${params.RoleName}.`);
function maxSession(value) {
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || seconds < 3600 || seconds > 43200) fail('InvalidParameter.MaxSessionDuration', 'MaxSessionDuration must be from 3600 to 43200.');
  return seconds;
}
function trustPolicy(document) {
  try {
    const parsed = JSON.parse(document);
    if (Array.isArray(parsed.Statement)) return document;
  } catch {}
  fail('MalformedPolicyDocument', 'The policy document is malformed.');
}
const roleAnswer = (r) => ({
  Role: {
    RoleName: r.name,
    RoleId: r.roleId,
    Arn: `acs:ram::${account}:role/${r.name}`,
    Description: r.description ?? '',
    MaxSessionDuration: r.maxSessionDuration,
    AssumeRolePolicyDocument: r.trustPolicy,
    CreateDate: '2026-01-01T00:00:00Z',
  },
});

switch (`${product} ${api}`) {
  case 'sts GetCallerIdentity':
    answer({
      AccountId: account,
      Arn: `acs:ram::${account}:user/admin`,
      IdentityType: 'RAMUser',
      PrincipalId: '200000000000000001',
      UserId: '200000000000000001',
    });
    break;
  case 'ims ListOIDCProviders': {
    const all = Object.values(state.providers);
    const from = Number(params.Marker ?? 0);
    const max = Number(params.MaxItems ?? 100);
    const page = all.slice(from, from + max);
    const truncated = from + max < all.length;
    answer({ IsTruncated: truncated, ...(truncated ? { Marker: String(from + max) } : {}), OIDCProviders: { OIDCProvider: page } });
    break;
  }
  case 'ims GetOIDCProvider':
    required('OIDCProviderName');
    answer({ OIDCProvider: provider() });
    break;
  case 'ims CreateOIDCProvider': {
    required('OIDCProviderName', 'IssuerUrl');
    if (state.providers[params.OIDCProviderName]) fail('EntityAlreadyExists.OIDCProvider', 'The OIDC provider already exists.');
    if (Object.values(state.providers).some((p) => p.IssuerUrl === params.IssuerUrl))
      fail('EntityAlreadyExists.OIDCProvider.IssuerUrl', 'An OIDC provider with this issuer URL already exists.');
    const created = {
      OIDCProviderName: params.OIDCProviderName,
      Arn: `acs:ram::${account}:oidc-provider/${params.OIDCProviderName}`,
      IssuerUrl: params.IssuerUrl,
      Fingerprints: params.Fingerprints ?? '',
      ClientIds: params.ClientIds ?? '',
      IssuanceLimitTime: Number(params.IssuanceLimitTime ?? 12),
      Description: params.Description ?? '',
    };
    if (!list(created.Fingerprints).every((f) => /^[0-9a-fA-F]{40}$/.test(f))) fail('InvalidParameter.Fingerprints', 'The fingerprint is invalid.');
    state.providers[created.OIDCProviderName] = created;
    save();
    answer({ OIDCProvider: created });
    break;
  }
  case 'ims AddClientIdToOIDCProvider': {
    required('OIDCProviderName', 'ClientId');
    const p = provider();
    p.ClientIds = [...list(p.ClientIds).filter(Boolean), params.ClientId].join(',');
    save();
    answer({ OIDCProvider: p });
    break;
  }
  case 'ims AddFingerprintToOIDCProvider': {
    required('OIDCProviderName', 'Fingerprint');
    const p = provider();
    p.Fingerprints = [...list(p.Fingerprints).filter(Boolean), params.Fingerprint].join(',');
    save();
    answer({ OIDCProvider: p });
    break;
  }
  case 'ram GetRole':
    required('RoleName');
    answer(roleAnswer(role()));
    break;
  case 'ram CreateRole': {
    required('RoleName', 'AssumeRolePolicyDocument');
    if (state.roles[params.RoleName]) fail('EntityAlreadyExists.Role', 'The role already exists.');
    const created = {
      name: params.RoleName,
      roleId: String(300000000000000000n + BigInt(Object.keys(state.roles).length + 1)),
      description: params.Description,
      maxSessionDuration: params.MaxSessionDuration === undefined ? 3600 : maxSession(params.MaxSessionDuration),
      trustPolicy: trustPolicy(params.AssumeRolePolicyDocument),
      policies: [],
    };
    state.roles[created.name] = created;
    save();
    answer(roleAnswer(created));
    break;
  }
  case 'ram UpdateRole': {
    required('RoleName');
    const r = role();
    if (params.NewAssumeRolePolicyDocument !== undefined) r.trustPolicy = trustPolicy(params.NewAssumeRolePolicyDocument);
    if (params.NewMaxSessionDuration !== undefined) r.maxSessionDuration = maxSession(params.NewMaxSessionDuration);
    save();
    answer(roleAnswer(r));
    break;
  }
  case 'ram AttachPolicyToRole': {
    required('PolicyType', 'PolicyName', 'RoleName');
    const r = role();
    if (r.policies.some((p) => p.PolicyName === params.PolicyName && p.PolicyType === params.PolicyType))
      fail('EntityAlreadyExists.Role.Policy', 'The policy is already attached to the role.');
    r.policies.push({ PolicyName: params.PolicyName, PolicyType: params.PolicyType });
    save();
    answer({});
    break;
  }
  case 'ram ListPoliciesForRole':
    required('RoleName');
    answer({ Policies: { Policy: role().policies.map((p) => ({ ...p, AttachDate: '2026-01-01T00:00:00Z', DefaultVersion: 'v1', Description: '' })) } });
    break;
  default:
    fail('InvalidApi.NotFound', `the stand-in does not model ${product} ${api}`);
}
