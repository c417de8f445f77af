export const id = 242;
export const ids = [242];
export const modules = {

/***/ 7242:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// UNUSED EXPORTS: TIMEOUTS, sourceName

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: ./src/arn.ts
var arn = __webpack_require__(8564);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
;// CONCATENATED MODULE: ./src/config.ts
// Reads and validates every input into one immutable Config. Pure: inputs and environment come in as values,
// and every problem is an InputError that names the input and what to write instead.


const DEFAULT_AUDIENCE = 'sts.aliyuncs.com';
const DEFAULT_DURATION_SECONDS = 3600;
const DEFAULT_RETRY_MAX_ATTEMPTS = 5;
const MIN_DURATION = 900;
const MAX_DURATION = 43200;
const MAX_RETRY_ATTEMPTS = 10;
const SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/;
const REGION = /^[a-z]{2,}(?:-[a-z0-9]+)+$/;
const ACCOUNT_ID = /^\d{1,20}$/;
// The aliyun CLI keeps profile names as JSON keys and shows them in `aliyun configure list`.
const PROFILE_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const ECS_ROLE_NAME = /^[A-Za-z0-9._-]{1,64}$/;
function readConfig(input, env) {
    const role = optional(input('role-to-assume'), (value) => {
        const parsed = (0,arn/* parseRoleArn */.DM)(value);
        if (!parsed) {
            throw new errors/* InputError */.dz('role-to-assume', `"${value}" is not a RAM role ARN.`, 'Write it as acs:ram::<account-id>:role/<role-name>, e.g. acs:ram::123456789012:role/ProwlerAuditRole.');
        }
        return parsed;
    });
    const oidcProviderArn = optional(input('oidc-provider-arn'), (value) => {
        if (!(0,arn/* parseOidcProviderArn */.df)(value)) {
            throw new errors/* InputError */.dz('oidc-provider-arn', `"${value}" is not a RAM OIDC provider ARN.`, 'Write it as acs:ram::<account-id>:oidc-provider/<name>, e.g. acs:ram::123456789012:oidc-provider/github.');
        }
        return value;
    });
    const audience = input('audience') || DEFAULT_AUDIENCE;
    if (/\s/.test(audience))
        throw new errors/* InputError */.dz('audience', 'must not contain white space.', 'Use one Client ID of the RAM OIDC identity provider, e.g. sts.aliyuncs.com.');
    const accessKey = readAccessKey(input);
    const region = optional(input('region'), (value) => {
        if (!REGION.test(value))
            throw new errors/* InputError */.dz('region', `"${value}" is not a region ID.`, 'Use a region ID such as cn-hangzhou or ap-southeast-1.');
        return value;
    });
    const useVpcEndpoint = readBoolean(input, 'use-vpc-endpoint', false);
    const stsEndpoint = input('sts-endpoint');
    if (useVpcEndpoint && !region)
        throw new errors/* InputError */.dz('use-vpc-endpoint', 'needs `region`.', 'Set `region` (e.g. cn-hangzhou) so the action can use sts-vpc.<region>.aliyuncs.com.');
    if (useVpcEndpoint && stsEndpoint)
        throw new errors/* InputError */.dz('use-vpc-endpoint', 'cannot be combined with `sts-endpoint`.', 'Remove one of them: `sts-endpoint` names the endpoint exactly.');
    const config = {
        role,
        oidcProviderArn,
        audience,
        oidcTokenFile: input('oidc-token-file') || undefined,
        roleSessionName: readSessionName(input, env),
        durationSeconds: readInteger(input, 'role-session-expiration', DEFAULT_DURATION_SECONDS, MIN_DURATION, MAX_DURATION, 'seconds'),
        externalId: optional(input('role-external-id'), (value) => {
            if (!/^[A-Za-z0-9=,.@:/_-]{2,1224}$/.test(value)) {
                throw new errors/* InputError */.dz('role-external-id', 'has characters STS does not accept.', 'Use 2-1224 characters of letters, digits and = , . @ : / - _.');
            }
            return value;
        }),
        sessionPolicy: optional(input('inline-session-policy'), readPolicy),
        roleChaining: readBoolean(input, 'role-chaining', false),
        accessKey,
        ecsRamRole: optional(input('ecs-ram-role'), (value) => {
            if (!ECS_ROLE_NAME.test(value))
                throw new errors/* InputError */.dz('ecs-ram-role', `"${value}" is not a RAM role name.`, 'Give the name of the instance RAM role (not its ARN), e.g. ProwlerEcsRole.');
            return value;
        }),
        credentialsUri: optional(input('credentials-uri'), readCredentialsUri),
        region,
        endpoint: readEndpoint(stsEndpoint, region, useVpcEndpoint),
        exportEnv: readBoolean(input, 'export-env', true),
        outputCredentials: readBoolean(input, 'output-credentials', false),
        aliyunProfile: optional(input('aliyun-profile'), (value) => {
            if (!PROFILE_NAME.test(value))
                throw new errors/* InputError */.dz('aliyun-profile', `"${value}" is not a usable profile name.`, 'Use 1-64 letters, digits, ".", "-" or "_", e.g. prowler.');
            return value;
        }),
        allowedAccountIds: readAccountIds(input('allowed-account-ids')),
        maskAccountId: readBoolean(input, 'mask-account-id', false),
        retryMaxAttempts: readInteger(input, 'retry-max-attempts', DEFAULT_RETRY_MAX_ATTEMPTS, 1, MAX_RETRY_ATTEMPTS, 'attempts'),
        refreshCredentials: readBoolean(input, 'refresh-credentials', false),
    };
    checkCombinations(config);
    return config;
}
function optional(value, parse) {
    return value === '' ? undefined : parse(value);
}
function readAccessKey(input) {
    const accessKeyId = input('access-key-id');
    const accessKeySecret = input('access-key-secret');
    const securityToken = input('security-token');
    if (!accessKeyId && !accessKeySecret) {
        if (securityToken)
            throw new errors/* InputError */.dz('security-token', 'needs `access-key-id` and `access-key-secret`.', 'Pass all three values of the STS session, or remove `security-token`.');
        return undefined;
    }
    if (!accessKeyId)
        throw new errors/* InputError */.dz('access-key-id', 'is missing while `access-key-secret` is set.', 'Pass both, e.g. access-key-id: ${{ secrets.ALIBABA_CLOUD_ACCESS_KEY_ID }}.');
    if (!accessKeySecret)
        throw new errors/* InputError */.dz('access-key-secret', 'is missing while `access-key-id` is set.', 'Pass both, e.g. access-key-secret: ${{ secrets.ALIBABA_CLOUD_ACCESS_KEY_SECRET }}.');
    if (!/^[A-Za-z0-9.]{8,128}$/.test(accessKeyId)) {
        throw new errors/* InputError */.dz('access-key-id', 'does not look like an AccessKey ID.', 'Pass the AccessKey ID (LTAI… or STS.…), not the secret or an ARN; check the secret you reference.');
    }
    if (/\s/.test(accessKeySecret))
        throw new errors/* InputError */.dz('access-key-secret', 'contains white space.', 'Check the secret you reference: paste the AccessKey secret alone.');
    if (accessKeyId.startsWith('STS.') && !securityToken) {
        throw new errors/* InputError */.dz('security-token', 'is required with STS AccessKeys (STS.…).', 'Pass the security token of the same STS session as `security-token`.');
    }
    return { accessKeyId, accessKeySecret, securityToken: securityToken || undefined };
}
function readBoolean(input, name, fallback) {
    const value = input(name);
    if (value === '')
        return fallback;
    if (/^true$/i.test(value))
        return true;
    if (/^false$/i.test(value))
        return false;
    throw new errors/* InputError */.dz(name, `"${value}" is not a boolean.`, 'Write true or false.');
}
function readInteger(input, name, fallback, min, max, unit) {
    const value = input(name);
    if (value === '')
        return fallback;
    if (!/^\d+$/.test(value))
        throw new errors/* InputError */.dz(name, `"${value}" is not a whole number.`, `Write a number of ${unit} from ${min} to ${max}.`);
    const number = Number(value);
    if (number < min || number > max)
        throw new errors/* InputError */.dz(name, `${value} is out of range.`, `Write a number of ${unit} from ${min} to ${max}.`);
    return number;
}
function readSessionName(input, env) {
    const value = input('role-session-name');
    if (value === '')
        return defaultSessionName(env);
    if (!SESSION_NAME.test(value)) {
        throw new errors/* InputError */.dz('role-session-name', `"${value}" is not a valid session name.`, 'Use 2-64 characters of A-Z a-z 0-9 . @ - _, e.g. prowler-${{ github.run_id }}.');
    }
    return value;
}
/** `gha-<run id>-<owner>-<repo>`, cut to 64 characters: ActionTrail then shows which run used the role. */
function defaultSessionName(env) {
    const parts = ['gha', env.GITHUB_RUN_ID, env.GITHUB_REPOSITORY?.replace('/', '-')].filter(Boolean);
    const name = parts.join('-').replace(/[^A-Za-z0-9.@_-]/g, '-').slice(0, 64);
    return name.length >= 2 && name !== 'gha' ? name : 'configure-alibabacloud-credentials';
}
function readPolicy(value) {
    let policy;
    try {
        policy = JSON.parse(value);
    }
    catch (error) {
        throw new errors/* InputError */.dz('inline-session-policy', `is not valid JSON (${error.message}).`, 'Pass a RAM policy document, e.g. {"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:Describe*","Resource":"*"}]}.');
    }
    if (typeof policy !== 'object' || policy === null || Array.isArray(policy) || !Array.isArray(policy.Statement)) {
        throw new errors/* InputError */.dz('inline-session-policy', 'is not a RAM policy document.', 'It must be a JSON object with a "Statement" array, e.g. {"Version":"1","Statement":[...]}.');
    }
    // STS counts the policy's length; sending it without white space leaves the most room.
    return JSON.stringify(policy);
}
function readAccountIds(value) {
    if (value === '')
        return [];
    const ids = value.split(',').map((id) => id.trim()).filter(Boolean);
    const bad = ids.find((id) => !ACCOUNT_ID.test(id));
    if (bad !== undefined || ids.length === 0) {
        throw new errors/* InputError */.dz('allowed-account-ids', `"${bad ?? value}" is not an account ID.`, 'Write account IDs (digits only), separated by commas, e.g. 123456789012,210987654321.');
    }
    return ids;
}
/** Plain http sends the credentials in the clear: only to this machine, or to a private address named as an IP. */
function readCredentialsUri(value) {
    const url = parseUrl(value);
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
        throw new errors/* InputError */.dz('credentials-uri', `"${value}" is not an http(s) URL.`, 'Write a full URL, e.g. https://broker.internal.example.com/credentials.');
    }
    if (url.protocol === 'http:' && !isLoopback(url.hostname) && !isPrivateIp(url.hostname)) {
        throw new errors/* InputError */.dz('credentials-uri', `plain http to ${url.hostname} would send credentials in the clear.`, 'Use https, or a loopback address, or name a private address by its IP (10.x, 172.16-31.x, 192.168.x).');
    }
    return url.href;
}
function readEndpoint(value, region, useVpcEndpoint) {
    if (value === '') {
        if (!region)
            return { host: 'sts.aliyuncs.com', protocol: 'https' };
        return { host: useVpcEndpoint ? `sts-vpc.${region}.aliyuncs.com` : `sts.${region}.aliyuncs.com`, protocol: 'https' };
    }
    const url = parseUrl(/^[a-z]+:\/\//i.test(value) ? value : `https://${value}`);
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || (url.pathname !== '/' && url.pathname !== '') || url.search || url.username) {
        throw new errors/* InputError */.dz('sts-endpoint', `"${value}" is not an endpoint.`, 'Write a host such as sts.cn-shanghai.aliyuncs.com, or a URL with no path such as https://sts.cn-shanghai.aliyuncs.com.');
    }
    if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
        throw new errors/* InputError */.dz('sts-endpoint', `plain http to ${url.hostname} would send credentials in the clear.`, 'Use https; plain http is accepted only for a loopback address (127.0.0.1, ::1, localhost).');
    }
    return { host: url.host, protocol: url.protocol === 'http:' ? 'http' : 'https' };
}
function parseUrl(value) {
    try {
        return new URL(value);
    }
    catch {
        return undefined;
    }
}
function isLoopback(hostname) {
    const host = hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}
function isPrivateIp(hostname) {
    const octets = hostname.split('.').map(Number);
    if (octets.length !== 4 || octets.some((octet) => !Number.isInteger(octet) || octet < 0 || octet > 255)) {
        return /^\[f[cd][0-9a-f]{2}:/i.test(hostname); // IPv6 unique local addresses
    }
    const [a, b] = octets;
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}
/** Which inputs go together; the source conflicts themselves are the plan's. */
function checkCombinations(config) {
    if (config.oidcTokenFile && !config.oidcProviderArn) {
        throw new errors/* InputError */.dz('oidc-token-file', 'needs `oidc-provider-arn` and `role-to-assume`.', 'Add the ARN of the RAM OIDC identity provider that issued the token, and the role to assume.');
    }
    if (config.oidcProviderArn && !config.role) {
        throw new errors/* InputError */.dz('oidc-provider-arn', 'needs `role-to-assume`.', 'Add the ARN of the RAM role that trusts this identity provider: role-to-assume: acs:ram::<account-id>:role/<name>.');
    }
    if (config.externalId && !config.role) {
        throw new errors/* InputError */.dz('role-external-id', 'needs `role-to-assume`.', 'Add the role whose trust policy asks for this ExternalId, or remove `role-external-id`.');
    }
    if (config.externalId && config.oidcProviderArn) {
        throw new errors/* InputError */.dz('role-external-id', 'does not apply to the OIDC flow (AssumeRoleWithOIDC has no ExternalId).', 'Remove `role-external-id`, or use a key-based source with AssumeRole.');
    }
    if (config.sessionPolicy && !config.role) {
        throw new errors/* InputError */.dz('inline-session-policy', 'needs `role-to-assume`: only an assumed session can be narrowed.', 'Add `role-to-assume`, or remove `inline-session-policy`.');
    }
    if (config.role && config.allowedAccountIds.length > 0 && !config.allowedAccountIds.includes(config.role.accountId)) {
        throw new errors/* InputError */.dz('allowed-account-ids', `does not include ${config.role.accountId}, the account of \`role-to-assume\`.`, 'Add that account ID, or assume a role in one of the allowed accounts.');
    }
    if (config.refreshCredentials && !config.exportEnv) {
        throw new errors/* InputError */.dz('refresh-credentials', 'needs `export-env: true`: later steps find the refreshing credentials URI through ALIBABA_CLOUD_CREDENTIALS_URI.', 'Remove `export-env: false`, or turn off `refresh-credentials`.');
    }
    if (!config.exportEnv && !config.outputCredentials && !config.aliyunProfile) {
        throw new errors/* InputError */.dz('export-env', 'is false and nothing else delivers the credentials.', 'Keep export-env: true, or set output-credentials: true or aliyun-profile.');
    }
}

// EXTERNAL MODULE: ./src/credentials.ts
var src_credentials = __webpack_require__(3029);
;// CONCATENATED MODULE: ./src/export/env.ts
// Applies a VariablePlan to the job: every later step sees these variables.

function exportVariables(plan) {
    for (const [name, value] of plan.set)
        core/* exportVariable */.dN(name, value);
    for (const name of plan.blank) {
        core/* exportVariable */.dN(name, '');
        core/* info */.pq(`Cleared ${name} for the later steps: it would make Prowler and the SDKs use other credentials than these.`);
    }
}

;// CONCATENATED MODULE: ./src/export/outputs.ts
// Step outputs and masking: the only places that hand values to the runner's log machinery.


function mask(secret) {
    if (secret)
        core/* setSecret */.Pq(secret);
}
function setOutputs({ credentials, identity, roleSessionName, includeCredentials }) {
    if (identity)
        core/* setOutput */.uH('account-id', identity.accountId);
    if (identity && roleSessionName)
        core/* setOutput */.uH('assumed-role-arn', identity.arn);
    if (roleSessionName)
        core/* setOutput */.uH('role-session-name', roleSessionName);
    if (credentials.expiration)
        core/* setOutput */.uH('expiration', (0,src_credentials/* isoSeconds */.n)(credentials.expiration));
    if (includeCredentials) {
        core/* setOutput */.uH('aliyun-access-key-id', credentials.accessKeyId);
        core/* setOutput */.uH('aliyun-access-key-secret', credentials.accessKeySecret);
        if (credentials.securityToken)
            core/* setOutput */.uH('aliyun-security-token', credentials.securityToken);
    }
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/export/profile.ts
// The aliyun CLI profile: `~/.aliyun/config.json`, read by the aliyun CLI, Terraform and the SDKs' CLI-profile
// provider. Written with care because it may hold other profiles of a self-hosted runner: merged, never
// followed through a symlink, 0600 in a 0700 directory, replaced atomically. The post step removes our profile.



function profilePath(home) {
    return (0,external_node_path_.join)(home, '.aliyun', 'config.json');
}
function writeProfile(path, name, credentials, region) {
    const dir = (0,external_node_path_.dirname)(path);
    const createdDir = !exists(dir);
    if (createdDir)
        (0,external_node_fs_.mkdirSync)(dir, { recursive: true, mode: 0o700 });
    refuseSymlink(dir);
    const createdFile = !exists(path);
    if (!createdFile)
        refuseSymlink(path);
    const config = createdFile ? { current: name, profiles: [], meta_path: '' } : profile_readConfig(path);
    if (config.profiles.some((profile) => profile.name === name)) {
        throw new errors/* ActionError */.lZ('input', `Input aliyun-profile: ${path} already has a profile named ${name}.`, 'Choose a profile name that is not in use; the post step removes the profile again, so it must be the action\'s own.');
    }
    config.profiles.push({
        name,
        mode: credentials.securityToken ? 'StsToken' : 'AK',
        access_key_id: credentials.accessKeyId,
        access_key_secret: credentials.accessKeySecret,
        sts_token: credentials.securityToken ?? '',
        // The aliyun CLI refuses a profile without a region.
        region_id: region ?? 'cn-hangzhou',
        output_format: 'json',
        language: 'en',
    });
    writeAtomically(path, config);
    return { path, name, createdFile, createdDir };
}
/** Removes our profile; removes the file (and directory) too when the action created them and nothing else is left. */
function removeProfile(state) {
    if (!exists(state.path))
        return `${state.path} is already gone.`;
    refuseSymlink(state.path);
    const config = profile_readConfig(state.path);
    const before = config.profiles.length;
    config.profiles = config.profiles.filter((profile) => profile.name !== state.name);
    if (config.profiles.length === 0 && state.createdFile) {
        rmSync(state.path);
        if (state.createdDir) {
            try {
                rmdirSync(dirname(state.path));
            }
            catch {
                // something else was put there since: leave it
            }
        }
        return `Removed ${state.path}, which the action had created.`;
    }
    if (config.current === state.name)
        config.current = String(config.profiles[0]?.name ?? '');
    writeAtomically(state.path, config);
    return before === config.profiles.length ? `Profile ${state.name} was not in ${state.path}.` : `Removed profile ${state.name} from ${state.path}.`;
}
function profile_readConfig(path) {
    let parsed;
    try {
        parsed = JSON.parse((0,external_node_fs_.readFileSync)(path, 'utf8'));
    }
    catch (error) {
        throw new errors/* ActionError */.lZ('input', `Input aliyun-profile: ${path} is not valid JSON (${error.message}).`, 'Fix or remove that file, or do not set `aliyun-profile`.');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new errors/* ActionError */.lZ('input', `Input aliyun-profile: ${path} is not an aliyun CLI configuration.`, 'Fix or remove that file, or do not set `aliyun-profile`.');
    }
    const config = parsed;
    if (!Array.isArray(config.profiles))
        config.profiles = [];
    return config;
}
function writeAtomically(path, config) {
    const temporary = `${path}.${process.pid}.tmp`;
    (0,external_node_fs_.writeFileSync)(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    (0,external_node_fs_.renameSync)(temporary, path);
}
function exists(path) {
    try {
        (0,external_node_fs_.lstatSync)(path);
        return true;
    }
    catch {
        return false;
    }
}
function refuseSymlink(path) {
    if ((0,external_node_fs_.lstatSync)(path).isSymbolicLink()) {
        throw new errors/* ActionError */.lZ('input', `Input aliyun-profile: ${path} is a symbolic link; the action does not write through links.`, 'Replace the link with a real file or directory, or do not set `aliyun-profile`.');
    }
}

;// CONCATENATED MODULE: ./src/export/summary.ts
// The job summary: what the step set up, as a Markdown table. Never a secret; the runner does not mask
// summaries, so a masked account ID is written as ***.

function summaryMarkdown(facts) {
    const hide = (text) => (facts.maskAccountId && facts.accountId ? text.split(facts.accountId).join('***') : text);
    const code = (text) => `\`${text.replace(/`/g, "'")}\``;
    const rows = [
        ['Account', facts.accountId ? code(hide(facts.accountId)) : 'not looked up'],
        ['Role session', facts.assumedRoleArn ? code(hide(facts.assumedRoleArn)) : 'none (source credentials used as they are)'],
        ['Session name', facts.roleSessionName ? code(facts.roleSessionName) : '-'],
        ['Source', hide(facts.source)],
        ['Expires', facts.expiration ?? 'never (permanent AccessKey)'],
        ['Region', facts.region ? code(facts.region) : '-'],
        ['STS endpoint', code(facts.endpoint)],
        ['Variables set', facts.variablesSet.length ? facts.variablesSet.map(code).join(' ') : 'none (`export-env: false`)'],
        ['Variables cleared', facts.variablesCleared.length ? facts.variablesCleared.map(code).join(' ') : 'none'],
    ];
    if (facts.profile)
        rows.push(['aliyun CLI profile', `${code(facts.profile)} (removed by the post step)`]);
    if (facts.credentialsUri)
        rows.push(['Refresh', 'a local credentials URI renews the credentials before they expire']);
    const table = rows.map(([name, value]) => `| ${name} | ${value.replace(/\|/g, '\\|')} |`).join('\n');
    return `### Alibaba Cloud credentials\n\n| | |\n|---|---|\n${table}\n`;
}
async function writeSummary(facts) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    await core/* summary */.z.addRaw(summaryMarkdown(facts), true).write();
}

;// CONCATENATED MODULE: ./src/export/variables.ts
// Which environment variables carry the credentials to each consumer, and which ones would lead a consumer
// away from them. Pure: the edge (env.ts) applies the result.
const ACCESS_KEY_ID_VARS = ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABACLOUD_ACCESS_KEY_ID', 'ALICLOUD_ACCESS_KEY', 'ALIYUN_ACCESS_KEY_ID'];
const ACCESS_KEY_SECRET_VARS = ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABACLOUD_ACCESS_KEY_SECRET', 'ALICLOUD_SECRET_KEY', 'ALIYUN_ACCESS_KEY_SECRET'];
const SECURITY_TOKEN_VARS = ['ALIBABA_CLOUD_SECURITY_TOKEN', 'ALIBABACLOUD_SECURITY_TOKEN', 'ALICLOUD_SECURITY_TOKEN'];
const REGION_VARS = ['ALIBABA_CLOUD_REGION_ID', 'ALIBABACLOUD_REGION_ID', 'ALICLOUD_REGION_ID', 'ALICLOUD_REGION', 'ALIBABA_CLOUD_REGION'];
// With `aliyun-profile`: the aliyun CLI, the SDKs and Terraform pick the profile by these.
const PROFILE_VARS = ['ALIBABA_CLOUD_PROFILE', 'ALIBABACLOUD_PROFILE', 'ALICLOUD_PROFILE'];
const CREDENTIALS_URI_VAR = 'ALIBABA_CLOUD_CREDENTIALS_URI';
// Prowler and the SDK default chains try a credentials URI, then OIDC, then an ECS role, then a role ARN with
// the keys (but without the token) before they look at the keys alone: any of these left set wins over us.
const DIVERTING_VARS = [CREDENTIALS_URI_VAR, 'ALIBABA_CLOUD_ROLE_ARN', 'ALIBABA_CLOUD_OIDC_PROVIDER_ARN', 'ALIBABA_CLOUD_OIDC_TOKEN_FILE', 'ALIBABA_CLOUD_ECS_METADATA'];
function planVariables(credentials, region, env, credentialsUri) {
    const set = new Map();
    for (const name of ACCESS_KEY_ID_VARS)
        set.set(name, credentials.accessKeyId);
    for (const name of ACCESS_KEY_SECRET_VARS)
        set.set(name, credentials.accessKeySecret);
    if (credentials.securityToken)
        for (const name of SECURITY_TOKEN_VARS)
            set.set(name, credentials.securityToken);
    if (region)
        for (const name of REGION_VARS)
            set.set(name, region);
    if (credentialsUri)
        set.set(CREDENTIALS_URI_VAR, credentialsUri);
    const stale = credentials.securityToken ? [] : SECURITY_TOKEN_VARS;
    const blank = [...DIVERTING_VARS, ...stale].filter((name) => !set.has(name) && env[name]);
    return { set, blank };
}

// EXTERNAL MODULE: ./src/flow.ts + 9 modules
var flow = __webpack_require__(4157);
;// CONCATENATED MODULE: ./src/plan.ts
// Config -> Plan: which source gives the first credentials, and which role (if any) they assume.
// The table "Which flow runs" of DESIGN.md §1 as code. Pure: no I/O.

const PERMISSIONS_BLOCK = 'permissions:\n  id-token: write\n  contents: read';
function makePlan(config, job) {
    const source = chooseSource(config, job);
    const assume = config.role && {
        roleArn: config.role.arn,
        sessionName: config.roleSessionName,
        durationSeconds: config.durationSeconds,
        policy: config.sessionPolicy,
        externalId: config.externalId,
        oidcProviderArn: config.oidcProviderArn,
    };
    if (config.refreshCredentials && source.kind === 'access-key' && !assume) {
        throw new errors/* InputError */.dz('refresh-credentials', 'has nothing to refresh: AccessKeys without `role-to-assume` do not expire or cannot be renewed.', 'Add `role-to-assume`, or remove `refresh-credentials`.');
    }
    return { source, assume };
}
function chooseSource(config, job) {
    const given = [];
    if (config.oidcProviderArn) {
        given.push(config.oidcTokenFile
            ? ['oidc-provider-arn', { kind: 'oidc-token-file', path: config.oidcTokenFile }]
            : ['oidc-provider-arn', { kind: 'github-oidc', audience: config.audience }]);
    }
    if (config.accessKey)
        given.push(['access-key-id', { kind: 'access-key', accessKey: config.accessKey }]);
    if (config.roleChaining)
        given.push(['role-chaining', { kind: 'environment' }]);
    if (config.ecsRamRole)
        given.push(['ecs-ram-role', { kind: 'ecs-ram-role', roleName: config.ecsRamRole }]);
    if (config.credentialsUri)
        given.push(['credentials-uri', { kind: 'credentials-uri', uri: config.credentialsUri }]);
    if (given.length > 1) {
        const [first, second] = given.map(([input]) => `\`${input}\``);
        throw new errors/* InputError */.dz(given[1][0], `conflicts with ${first}: the action takes its credentials from exactly one source.`, `Remove ${first} or ${second}. To go from one set of credentials to another role, use a second step with \`role-chaining: true\`.`);
    }
    if (given.length === 1) {
        const [input, source] = given[0];
        if (source.kind === 'github-oidc' && !job.canRequestIdToken) {
            throw new errors/* ActionError */.lZ('permission', 'This job cannot request a GitHub OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL is not set.', `Add to the job (or workflow):\n${PERMISSIONS_BLOCK}\nPull requests from forks never get an OIDC token; use \`oidc-token-file\` or a key-based source there.`);
        }
        if (source.kind === 'environment' && !config.role) {
            throw new errors/* InputError */.dz(input, 'needs `role-to-assume`: role chaining assumes a role with the credentials of an earlier step.', 'Add role-to-assume: acs:ram::<account-id>:role/<name>.');
        }
        return source;
    }
    if (!config.role) {
        throw new errors/* InputError */.dz('role-to-assume', 'is missing, and no other source of credentials is given.', 'For GitHub OIDC, set `role-to-assume` and `oidc-provider-arn`; otherwise give `access-key-id`/`access-key-secret`, `ecs-ram-role` or `credentials-uri`.');
    }
    if (job.canRequestIdToken) {
        throw new errors/* InputError */.dz('oidc-provider-arn', 'is missing: `role-to-assume` alone cannot say how to reach the role.', 'For GitHub OIDC, add oidc-provider-arn: acs:ram::<account-id>:oidc-provider/<name>. For a key-based source, add `access-key-id`/`access-key-secret`, `ecs-ram-role`, `credentials-uri` or `role-chaining: true`.');
    }
    throw new errors/* InputError */.dz('role-to-assume', 'is given without a source of credentials, and this job cannot request a GitHub OIDC token.', `For OIDC, add to the job (or workflow):\n${PERMISSIONS_BLOCK}\nand set \`oidc-provider-arn\`. Otherwise give \`access-key-id\`/\`access-key-secret\`, \`ecs-ram-role\`, \`credentials-uri\` or \`role-chaining: true\`.`);
}

// EXTERNAL MODULE: ./src/retry.ts
var retry = __webpack_require__(9809);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/refresh/protocol.ts
var protocol = __webpack_require__(2059);
;// CONCATENATED MODULE: ./src/refresh/start.ts
// Starts the refresh helper as a detached process that outlives the main step, hands it what it needs over
// an IPC channel (never argv or files: the source keys and OIDC request token are in there), and waits until
// it listens.






const READY_TIMEOUT_MS = 10_000;
// GitHub ends a job after 6 hours by default; the helper does not outlive that.
const MAX_LIFETIME_MS = 6 * 60 * 60_000;
async function startRefreshHelper(init, logDir) {
    const path = `/${(0,external_node_crypto_.randomBytes)(32).toString('hex')}`;
    const logFile = (0,external_node_path_.join)(logDir, `alibabacloud-credentials-refresh-${process.pid}.log`);
    const logFd = (0,external_node_fs_.openSync)(logFile, 'a', 0o600);
    // process.argv[1] is this bundle (dist/main/index.js); the flag makes it the helper.
    const child = (0,external_node_child_process_.spawn)(process.execPath, [process.argv[1], protocol/* HELPER_FLAG */.a], {
        detached: true,
        stdio: ['ignore', logFd, logFd, 'ipc'],
        env: { PATH: process.env.PATH ?? '' },
    });
    (0,external_node_fs_.closeSync)(logFd);
    const start = { ...init, path, watchPid: process.ppid, exitBy: Date.now() + MAX_LIFETIME_MS };
    const reply = await new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ ready: false, error: `no answer within ${READY_TIMEOUT_MS} ms` }), READY_TIMEOUT_MS);
        child.once('message', (message) => {
            clearTimeout(timer);
            resolve(message);
        });
        child.once('exit', (code) => {
            clearTimeout(timer);
            resolve({ ready: false, error: `it exited with code ${code}` });
        });
        child.send(start);
    });
    child.removeAllListeners();
    if (child.connected)
        child.disconnect();
    child.unref();
    if (!reply.ready || child.pid === undefined) {
        child.kill();
        throw new errors/* ActionError */.lZ('server', `The refresh helper did not start: ${reply.ready ? 'no process ID' : reply.error}.`, `Its log is ${logFile}. Turn off \`refresh-credentials\` to go on without it.`);
    }
    return { pid: child.pid, url: `http://127.0.0.1:${reply.port}${path}`, logFile };
}

;// CONCATENATED MODULE: ./src/state.ts
// Names under which the main step tells the post step what to undo (core.saveState / core.getState).
const STATE_PROFILE = 'aliyun-profile';
const STATE_REFRESH = 'refresh-helper';

;// CONCATENATED MODULE: ./src/main.ts
// Entry of the main step: inputs -> config -> plan -> source -> STS -> credentials -> exporters.
// One try/catch turns any failure into a redacted setFailed; nothing is exported unless everything worked.















/** Inputs that hold secrets: masked before anything else runs. */
const SECRET_INPUTS = ['access-key-id', 'access-key-secret', 'security-token'];
const TIMEOUTS = { connectTimeoutMs: 3000, readTimeoutMs: 5000 };
async function run() {
    const secrets = new Set();
    const keepSecret = (secret) => {
        if (!secret || secrets.has(secret))
            return;
        secrets.add(secret);
        mask(secret);
    };
    try {
        for (const name of SECRET_INPUTS)
            keepSecret(core/* getInput */.V4(name));
        const env = process.env;
        const config = readConfig((name) => core/* getInput */.V4(name), env);
        const plan = makePlan(config, { canRequestIdToken: Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) });
        if (config.maskAccountId && config.role)
            mask(config.role.accountId);
        if (plan.source.kind === 'environment') {
            keepSecret(env.ALIBABA_CLOUD_ACCESS_KEY_ID);
            keepSecret(env.ALIBABA_CLOUD_ACCESS_KEY_SECRET);
            keepSecret(env.ALIBABA_CLOUD_SECURITY_TOKEN);
        }
        core/* info */.pq(describePlan(plan, config));
        const result = await (0,flow/* runPlan */.F)(plan, {
            env,
            sts: { endpoint: config.endpoint, ...TIMEOUTS },
            timeouts: TIMEOUTS,
            retry: { ...retry/* DEFAULT_RETRY_POLICY */.c, maxAttempts: config.retryMaxAttempts },
            onSecret: keepSecret,
            onRetry: (step, { attempt, maxAttempts, error, waitMs }) => {
                const code = error.details.code ?? error.kind;
                const requestId = error.details.requestId ? `, RequestId ${error.details.requestId}` : '';
                core/* info */.pq(`${step}: attempt ${attempt}/${maxAttempts} failed (${code}${requestId}); retrying in ${waitMs} ms.`);
            },
            identifyUnassumed: config.allowedAccountIds.length > 0,
        });
        if (config.maskAccountId && result.identity)
            mask(result.identity.accountId);
        checkAccount(config, result);
        const refreshUri = config.refreshCredentials ? await startRefresh(config, plan, result, keepSecret) : undefined;
        await deliver(config, plan, result, refreshUri);
    }
    catch (error) {
        core/* setFailed */.C1((0,errors/* formatFailure */.M3)(error, secrets));
    }
}
function describePlan(plan, config) {
    const target = plan.assume ? ` -> ${plan.assume.oidcProviderArn ? 'AssumeRoleWithOIDC' : 'AssumeRole'} ${plan.assume.roleArn} as ${plan.assume.sessionName}` : '';
    return `Credentials from ${sourceName(plan.source)}${target} (STS ${config.endpoint.protocol}://${config.endpoint.host}).`;
}
function sourceName(source) {
    switch (source.kind) {
        case 'github-oidc':
            return `GitHub OIDC (audience ${source.audience})`;
        case 'oidc-token-file':
            return `OIDC token file ${source.path}`;
        case 'access-key':
            return source.accessKey.securityToken ? 'STS credentials (inputs)' : 'AccessKey (inputs)';
        case 'environment':
            return 'the ALIBABA_CLOUD_* credentials of an earlier step';
        case 'ecs-ram-role':
            return `ECS instance RAM role ${source.roleName}`;
        case 'credentials-uri':
            return 'a credentials URI';
    }
}
function checkAccount(config, result) {
    const accountId = result.identity?.accountId;
    if (config.allowedAccountIds.length > 0 && (!accountId || !config.allowedAccountIds.includes(accountId))) {
        throw new errors/* ActionError */.lZ('permission', `The credentials belong to account ${accountId ?? '(unknown)'}, which is not in \`allowed-account-ids\`.`, 'Check that the source and `role-to-assume` point at the intended account, or add it to `allowed-account-ids`.');
    }
}
/** Starts the helper that keeps the credentials fresh behind a loopback credentials URI (DESIGN.md §6). */
async function startRefresh(config, plan, result, keepSecret) {
    const env = process.env;
    const { credentials } = result;
    const helper = await startRefreshHelper({
        plan,
        sts: { endpoint: config.endpoint, ...TIMEOUTS },
        timeouts: TIMEOUTS,
        retry: { ...retry/* DEFAULT_RETRY_POLICY */.c, maxAttempts: config.retryMaxAttempts },
        env: pick(env, ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_SECURITY_TOKEN']),
        credentials: { ...credentials, expiration: credentials.expiration?.toISOString() },
    }, env.RUNNER_TEMP || (0,external_node_os_.tmpdir)());
    core/* saveState */.LZ(STATE_REFRESH, JSON.stringify({ pid: helper.pid, logFile: helper.logFile }));
    // The random path is what keeps other local processes out: treat it as a secret.
    keepSecret(new URL(helper.url).pathname.slice(1));
    core/* info */.pq(`Refresh helper (process ${helper.pid}) serves the credentials on a loopback credentials URI and renews them before they expire.`);
    return helper.url;
}
function pick(env, names) {
    return Object.fromEntries(names.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
}
async function deliver(config, plan, result, refreshUri) {
    const { credentials, identity } = result;
    const variables = config.exportEnv ? planVariables(credentials, config.region, process.env, refreshUri) : { set: new Map(), blank: [] };
    exportVariables(variables);
    if (config.aliyunProfile) {
        const profile = writeProfile(profilePath((0,external_node_os_.homedir)()), config.aliyunProfile, credentials, config.region);
        core/* saveState */.LZ(STATE_PROFILE, JSON.stringify(profile));
        for (const name of PROFILE_VARS)
            core/* exportVariable */.dN(name, profile.name);
        core/* info */.pq(`Wrote profile ${profile.name} (mode ${credentials.securityToken ? 'StsToken' : 'AK'}) to ${profile.path}; the post step removes it.`);
    }
    setOutputs({ credentials, identity, roleSessionName: plan.assume?.sessionName, includeCredentials: config.outputCredentials });
    const expiration = credentials.expiration ? (0,src_credentials/* isoSeconds */.n)(credentials.expiration) : undefined;
    const who = identity ? `${identity.arn} (account ${identity.accountId})` : 'the source (account not looked up)';
    core/* info */.pq(`Credentials ready for ${who}${expiration ? `, valid until ${expiration}` : ''}.`);
    await writeSummary({
        accountId: identity?.accountId,
        maskAccountId: config.maskAccountId,
        assumedRoleArn: plan.assume ? identity?.arn : undefined,
        roleSessionName: plan.assume?.sessionName,
        source: sourceName(plan.source),
        expiration,
        region: config.region,
        endpoint: `${config.endpoint.protocol}://${config.endpoint.host}`,
        variablesSet: [...variables.set.keys(), ...(config.aliyunProfile ? PROFILE_VARS : [])],
        variablesCleared: variables.blank,
        profile: config.aliyunProfile,
        credentialsUri: refreshUri !== undefined,
    });
}


/***/ })

};
