#!/bin/sh
# One-time Alibaba Cloud setup for configure-alibabacloud-credentials, with the aliyun CLI (docs/SETUP.md, section 1):
#
#   1. GitHub's OIDC identity provider: created, or the account's provider for GitHub's issuer reused (with the
#      Client ID and the current certificate fingerprint added when they are missing);
#   2. a RAM role that trusts the GitHub subjects given (branches, tags, pull requests, environments), with a
#      maximum session of 21600 s (6 hours, the longest a job runs on a GitHub-hosted runner), so that a
#      `role-session-expiration` that covers a Prowler scan or a Terraform run is allowed. An existing role keeps
#      what it trusts: the subjects are added to its trust policy, its other statements are left as they are, and a
#      longer maximum session is kept (--replace-trust trusts exactly the subjects given, and says what it drops);
#   3. Prowler's read-only system policies on the role (or the policies given with --policy);
#
# then reads everything back, checks it, and prints the two repository variables the workflows use. Running it again
# changes only what is missing; running it for a second repository adds that repository's subjects to the role.
# --dry-run prints the calls that change something, for an account that has none of it, and makes no call at all.
#
#   sh examples/setup/setup-github-oidc.sh --repo my-org/my-repo --branch main
#   sh examples/setup/setup-github-oidc.sh --repo my-org/my-repo --branch main --pull-requests \
#     --role-name github-terraform-plan --policy ReadOnlyAccess --variable ALIBABA_CLOUD_PLAN_ROLE_ARN
#
# Needs: the aliyun CLI, configured for an administrator of the account (e.g. a RAM user with AliyunRAMFullAccess);
# jq; openssl, unless --fingerprint is given or the account's provider for GitHub's issuer has a fingerprint already.
set -eu

ISSUER=https://token.actions.githubusercontent.com
# The read-only system policies of the services Prowler checks (docs/SETUP.md, section 5).
PROWLER_POLICIES='AliyunRAMReadOnlyAccess
AliyunECSReadOnlyAccess
AliyunVPCReadOnlyAccess
AliyunOSSReadOnlyAccess
AliyunActionTrailReadOnlyAccess
AliyunLogReadOnlyAccess
AliyunRDSReadOnlyAccess
AliyunCSReadOnlyAccess
AliyunYundunSASReadOnlyAccess'
NL='
'

usage() {
	cat <<'EOF'
Usage: setup-github-oidc.sh --repo OWNER/REPO SUBJECT... [OPTION...]

Subjects the role trusts (at least one; each may be repeated; * matches any characters):
  --branch NAME          pushes, schedules and manual runs on a branch     repo:OWNER/REPO:ref:refs/heads/NAME
  --tag PATTERN          tag runs, e.g. 'v*'                               repo:OWNER/REPO:ref:refs/tags/PATTERN
  --pull-requests        pull requests from branches of the repository     repo:OWNER/REPO:pull_request
  --environment NAME     jobs with `environment: NAME`                     repo:OWNER/REPO:environment:NAME
  --subject SUBJECT      any other subject, written out (immutable or customized subjects)

Options:
  --role-name NAME             role to create or update (default github-prowler-scan)
  --max-session-duration SEC   the role's longest session, 3600-43200 (default 21600); an existing role's longer
                               one is kept
  --replace-trust              trust exactly the subjects given: drop the others an existing role trusts, and the
                               other statements of its trust policy (default: add the subjects, keep the rest)
  --policy NAME                a system policy to attach, repeatable (default: Prowler's read-only policies)
  --variable NAME              repository variable for the role ARN (default ALIBABA_CLOUD_ROLE_ARN)
  --provider-name NAME         name of the identity provider if one is created (default github-actions)
  --audience CLIENT_ID         Client ID, the action's `audience` input (default sts.aliyuncs.com)
  --fingerprint HEX            SHA-1 fingerprint of the last certificate GitHub's host presents (default:
                               computed with openssl; an existing provider's when that fails)
  --account-id ID              account ID for the ARNs --dry-run prints (a real run reads it)
  --dry-run                    print the calls that change something, make none
  -h, --help                   this text
EOF
}

die() {
	printf 'setup-github-oidc.sh: %s\n' "$*" >&2
	exit 1
}
say() { printf '%s\n' "$*" >&2; }

# An argument as the shell reads it back: bare when it is safe, else in single quotes.
quote() {
	case $1 in
	'' | *[!A-Za-z0-9_./:=@%+,-]*) printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")" ;;
	*) printf '%s' "$1" ;;
	esac
}
command_line() {
	line=''
	for arg do line="$line${line:+ }$(quote "$arg")"; done
	printf '%s\n' "$line"
}

# A call that changes something: printed, and made unless --dry-run.
change() {
	if [ "$dry_run" = true ]; then
		command_line aliyun "$@"
	else
		say "+ $(command_line aliyun "$@")"
		aliyun "$@" >/dev/null || die "aliyun $1 $2 failed (see above)"
	fi
}

# A call that reads: its JSON answer on stdout. `missing` names the error code that means "does not exist": the
# call then prints nothing and returns 3. Any other failure prints the CLI's message and returns 1. Run it in an
# assignment of its own (answer=$(read_json ...)), never in a pipeline, so that `set -e` sees its status.
read_json() {
	missing=$1
	shift
	if aliyun "$@" >"$tmp/out" 2>"$tmp/err"; then
		cat "$tmp/out"
		return 0
	fi
	if [ -n "$missing" ] && grep -q "$missing" "$tmp/out" "$tmp/err"; then return 3; fi
	cat "$tmp/err" "$tmp/out" >&2
	say "setup-github-oidc.sh: aliyun $1 $2 failed"
	return 1
}

need_value() {
	[ $# -ge 2 ] || die "$1 needs a value (see --help)"
}

repo=''
entries=''
role_name=github-prowler-scan
max_session=21600
policies=''
variable=ALIBABA_CLOUD_ROLE_ARN
provider_name=github-actions
audience=sts.aliyuncs.com
fingerprint=''
account_id=''
dry_run=false
replace_trust=false

while [ $# -gt 0 ]; do
	case $1 in
	--repo) need_value "$@" && repo=$2 && shift 2 ;;
	--branch) need_value "$@" && entries="$entries${entries:+$NL}ref:refs/heads/$2" && shift 2 ;;
	--tag) need_value "$@" && entries="$entries${entries:+$NL}ref:refs/tags/$2" && shift 2 ;;
	--pull-requests) entries="$entries${entries:+$NL}pull_request" && shift ;;
	--environment) need_value "$@" && entries="$entries${entries:+$NL}environment:$2" && shift 2 ;;
	--subject) need_value "$@" && entries="$entries${entries:+$NL}=$2" && shift 2 ;;
	--role-name) need_value "$@" && role_name=$2 && shift 2 ;;
	--max-session-duration) need_value "$@" && max_session=$2 && shift 2 ;;
	--policy) need_value "$@" && policies="$policies${policies:+$NL}$2" && shift 2 ;;
	--variable) need_value "$@" && variable=$2 && shift 2 ;;
	--provider-name) need_value "$@" && provider_name=$2 && shift 2 ;;
	--audience) need_value "$@" && audience=$2 && shift 2 ;;
	--fingerprint) need_value "$@" && fingerprint=$2 && shift 2 ;;
	--account-id) need_value "$@" && account_id=$2 && shift 2 ;;
	--dry-run) dry_run=true && shift ;;
	--replace-trust) replace_trust=true && shift ;;
	-h | --help) usage && exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
done

matches() { printf '%s' "$1" | grep -Eq "$2"; }
matches "$repo" '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$' || die '--repo OWNER/REPO is required, e.g. --repo my-org/my-repo'
[ -n "$entries" ] || die 'give at least one subject: --branch, --tag, --pull-requests, --environment or --subject'
matches "$role_name" '^[A-Za-z0-9._-]{1,64}$' || die "--role-name: \"$role_name\" is not a RAM role name"
matches "$provider_name" '^[A-Za-z0-9._-]{1,128}$' || die "--provider-name: \"$provider_name\" is not an identity provider name"
{ matches "$max_session" '^[0-9]+$' && [ "$max_session" -ge 3600 ] && [ "$max_session" -le 43200 ]; } ||
	die "--max-session-duration: \"$max_session\" is not a number of seconds from 3600 to 43200"
matches "$audience" '^[^[:space:]]+$' || die '--audience must be one Client ID, without spaces'
matches "$variable" '^[A-Za-z_][A-Za-z0-9_]*$' || die "--variable: \"$variable\" is not a variable name"
[ -z "$account_id" ] || matches "$account_id" '^[0-9]{1,20}$' || die "--account-id: \"$account_id\" is not an account ID"
[ -n "$policies" ] || policies=$PROWLER_POLICIES
fingerprint=$(printf '%s' "$fingerprint" | tr -d ':' | tr 'A-F' 'a-f')
[ -z "$fingerprint" ] || matches "$fingerprint" '^[0-9a-f]{40}$' || die '--fingerprint must be 40 hex characters (SHA-1)'

# The subjects, written out: repo:OWNER/REPO:<entry>, or as given with --subject.
subjects=$(printf '%s\n' "$entries" | while IFS= read -r entry; do
	case $entry in
	=*) printf '%s\n' "${entry#=}" ;;
	*) printf 'repo:%s:%s\n' "$repo" "$entry" ;;
	esac
done)

command -v jq >/dev/null || die 'needs jq'
if [ "$dry_run" = false ]; then command -v aliyun >/dev/null || die 'needs the aliyun CLI (https://github.com/aliyun/aliyun-cli)'; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The SHA-1 fingerprint of the last certificate the issuer's host presents, as Alibaba's OpenSSL procedure takes it
# (it calls that certificate the root CA; docs/SETUP.md, "The fingerprint", says why it is often an intermediate).
github_fingerprint() {
	host=${ISSUER#https://}
	openssl s_client -connect "$host:443" -servername "$host" -showcerts </dev/null 2>/dev/null |
		awk '/-----BEGIN CERTIFICATE-----/ { pem = "" } { pem = pem $0 "\n" }
		     /-----END CERTIFICATE-----/ { last = pem } END { printf "%s", last }' |
		openssl x509 -noout -fingerprint -sha1 |
		sed 's/^.*=//; s/://g' | tr 'A-F' 'a-f'
}

# The trust policy: tokens of the identity provider $1, for GitHub's issuer, the audience, and one of the subjects.
trust_policy() {
	printf '%s\n' "$subjects" | jq -R . | jq -cs --arg provider "$1" --arg issuer "$ISSUER" --arg audience "$audience" '{
		Version: "1",
		Statement: [{
			Effect: "Allow",
			Action: "sts:AssumeRole",
			Principal: { Federated: [$provider] },
			Condition: {
				StringEquals: { "oidc:iss": $issuer, "oidc:aud": $audience },
				StringLike: { "oidc:sub": . }
			}
		}]
	}'
}

# The trust policy an existing role gets (GetRole's answer on stdin; $1 the provider's ARN), as one JSON object:
# `document` (the policy, or the role's own when nothing changes), `changed`, the subjects `kept`, `added` and
# `dropped`, and the other statements `kept_statements` or `dropped_statements`. A statement is GitHub's when it
# allows tokens of the provider for GitHub's issuer and the audience on no other conditions than issuer, audience and
# subject (the script's own, SETUP's recipe and the Terraform example write it so). Without --replace-trust the
# subjects asked for are added to GitHub's statement, written with StringLike as the script writes it (StringLike
# matches a subject without `*` as StringEquals does), and every other statement stays as it is; with it, the policy
# becomes the one a new role gets.
trust_plan() {
	printf '%s\n' "$subjects" | jq -R . | jq -s . >"$tmp/subjects.json"
	jq -c --arg provider "$1" --arg issuer "$ISSUER" --arg audience "$audience" --argjson replace "$replace_trust" \
		--slurpfile wanted "$tmp/subjects.json" --argjson fresh "$(trust_policy "$1")" '
		def list: if . == null then [] elif type == "array" then . else [.] end;
		def dedupe: reduce .[] as $x ([]; if any(.[]; . == $x) then . else . + [$x] end);
		def github: .Effect == "Allow" and (.Action | list) == ["sts:AssumeRole"] and (.Principal.Federated | list) == [$provider]
			and ((.Condition // {} | keys) - ["StringEquals", "StringLike"]) == []
			and ((.Condition.StringEquals // {} | keys) - ["oidc:iss", "oidc:aud", "oidc:sub"]) == []
			and ((.Condition.StringLike // {} | keys) - ["oidc:sub"]) == []
			and (.Condition.StringEquals["oidc:iss"] | list) == [$issuer] and (.Condition.StringEquals["oidc:aud"] | list) == [$audience];
		def subjects: [.Condition.StringEquals["oidc:sub"], .Condition.StringLike["oidc:sub"] | list[]];
		($wanted[0] | dedupe) as $wanted
		| (.Role.AssumeRolePolicyDocument | fromjson) as $doc
		| ($doc.Statement | list) as $statements
		| [$statements[] | select(github)] as $mine
		| [$statements[] | select(github | not)] as $others
		| ([$mine[] | subjects[]] | dedupe) as $had
		| if $replace then
			{ document: $fresh, kept: [$had[] | select(. as $s | any($wanted[]; . == $s))], added: ($wanted - $had),
			  dropped: ($had - $wanted), kept_statements: [], dropped_statements: $others }
		  else
			($had + ($wanted - $had)) as $all
			| ($fresh.Statement[0] | .Condition.StringLike["oidc:sub"] = $all) as $merged
			| ($statements | map(github) | index(true)) as $at
			| { document: (if ($wanted - $had) == [] and ($mine | length) == 1 then $doc
				elif $at == null then $doc + { Statement: ($statements + [$merged]) }
				else $doc + { Statement: [$statements | to_entries[]
					| if .key == $at then $merged elif (.value | github) then empty else .value end] } end),
			    kept: $had, added: ($wanted - $had), dropped: [], kept_statements: $others, dropped_statements: [] }
		  end
		| .changed = (.document != $doc)
		| .document |= tojson'
}
# The subjects that the statements for the provider $1 in a trust policy (GetRole's answer on stdin) list, one a line.
trusted_subjects() {
	jq -r --arg provider "$1" 'def list: if . == null then [] elif type == "array" then . else [.] end;
		.Role.AssumeRolePolicyDocument | fromjson | .Statement[] | select(.Principal.Federated | list | any(. == $provider))
		| .Condition // {} | .StringEquals["oidc:sub"], .StringLike["oidc:sub"] | list[]' | sort -u
}
# A list of the plan (kept, added, dropped), comma-separated, or `none`.
listed() { printf '%s' "$plan" | jq -r --arg key "$1" '.[$key] | if length == 0 then "none" else join(", ") end'; }

# Each comma-separated value of a field of an identity provider (ListOIDCProviders' answer), one a line.
values_of() { printf '%s' "$1" | jq -r --arg field "$2" '.[$field] // "" | split(",")[] | gsub("^\\s+|\\s+$"; "")'; }

# 1. Who runs this, and the account.
if [ "$dry_run" = true ]; then
	say "Dry run: the calls below are what a run makes in an account with none of this; nothing is called."
	account=${account_id:-'<account-id>'}
else
	answer=$(read_json '' sts GetCallerIdentity)
	account=$(printf '%s' "$answer" | jq -r .AccountId)
	matches "$account" '^[0-9]+$' || die 'aliyun sts GetCallerIdentity gave no account ID: is the aliyun CLI configured?'
	[ -z "$account_id" ] || [ "$account_id" = "$account" ] || die "--account-id $account_id, but the aliyun CLI works in account $account"
	say "Account $account."
fi

# 2. The account's identity provider for GitHub's issuer, if it has one.
provider=''
if [ "$dry_run" = false ]; then
	marker=''
	while :; do
		if [ -n "$marker" ]; then page=$(read_json '' ims ListOIDCProviders --MaxItems 100 --Marker "$marker"); else page=$(read_json '' ims ListOIDCProviders --MaxItems 100); fi
		provider=$(printf '%s' "$page" | jq -c --arg issuer "$ISSUER" 'first(.OIDCProviders.OIDCProvider[]? | select(.IssuerUrl == $issuer)) // empty')
		marker=$(printf '%s' "$page" | jq -r 'if .IsTruncated == true then .Marker // "" else "" end')
		[ -n "$provider" ] || [ -z "$marker" ] || continue
		break
	done
fi

# 3. The fingerprint of the last certificate GitHub's host presents. When it cannot be computed here (no openssl,
# GitHub not reachable), an existing provider keeps the fingerprints it has: a re-run needs none.
if [ -z "$fingerprint" ] && [ "$dry_run" = false ]; then
	unreadable="could not read the certificate chain of ${ISSUER#https://}"
	if command -v openssl >/dev/null; then fingerprint=$(github_fingerprint); else unreadable='needs openssl to compute the fingerprint'; fi
	if matches "$fingerprint" '^[0-9a-f]{40}$'; then
		say "Fingerprint of the last certificate ${ISSUER#https://} presents: $fingerprint."
	elif [ -n "$provider" ] && [ -n "$(values_of "$provider" Fingerprints)" ]; then
		fingerprint=''
		say "The setup $unreadable; the identity provider $(printf '%s' "$provider" | jq -r .OIDCProviderName) keeps the fingerprints it has (to add GitHub's current one, give --fingerprint: docs/SETUP.md, \"The fingerprint\")."
	else
		die "$unreadable: give --fingerprint (how to compute it: docs/SETUP.md, \"The fingerprint\")"
	fi
fi

# 4. The identity provider: the account's, with what it lacks, or a new one.
if [ -n "$provider" ]; then
	provider_name=$(printf '%s' "$provider" | jq -r .OIDCProviderName)
	provider_arn=$(printf '%s' "$provider" | jq -r .Arn)
	say "Reusing the identity provider $provider_name, the account's one for $ISSUER."
	values_of "$provider" ClientIds | grep -qxF "$audience" ||
		change ims AddClientIdToOIDCProvider --OIDCProviderName "$provider_name" --ClientId "$audience"
	[ -z "$fingerprint" ] || values_of "$provider" Fingerprints | tr 'A-F' 'a-f' | grep -qxF "$fingerprint" ||
		change ims AddFingerprintToOIDCProvider --OIDCProviderName "$provider_name" --Fingerprint "$fingerprint"
else
	change ims CreateOIDCProvider --OIDCProviderName "$provider_name" --IssuerUrl "$ISSUER" \
		--Fingerprints "${fingerprint:-<fingerprint>}" --ClientIds "$audience" --IssuanceLimitTime 12 \
		--Description 'GitHub Actions OIDC tokens'
	provider_arn="acs:ram::$account:oidc-provider/$provider_name"
fi

# 5. The role, trusting the subjects, with the session length: a new one, or the existing one with what it lacks.
policy=$(trust_policy "$provider_arn")
role=''
[ "$dry_run" = true ] || role=$(read_json EntityNotExist.Role ram GetRole --RoleName "$role_name") || [ $? -eq 3 ] || exit 1
if [ -n "$role" ]; then
	plan=$(printf '%s' "$role" | trust_plan "$provider_arn")
	policy=$(printf '%s' "$plan" | jq -r .document)
	if [ "$replace_trust" = true ]; then
		say "The role $role_name exists; --replace-trust: it trusts exactly the subjects given. Kept: $(listed kept). Added: $(listed added). Dropped: $(listed dropped)."
		printf '%s' "$plan" | jq -r '.dropped_statements[] | "Dropped statement: \(tojson)"' >&2
	else
		say "The role $role_name exists; it keeps the subjects it trusts: $(listed kept). Added: $(listed added)."
		printf '%s' "$plan" | jq -r '.kept_statements | length | select(. > 0) | "Its \(.) other trust statement(s) are kept as they are."' >&2
	fi
	set -- ram UpdateRole --RoleName "$role_name"
	[ "$(printf '%s' "$plan" | jq -r .changed)" = false ] || set -- "$@" --NewAssumeRolePolicyDocument "$policy"
	current_max=$(printf '%s' "$role" | jq -r '.Role.MaxSessionDuration // 3600')
	matches "$current_max" '^[0-9]+$' || die "aliyun ram GetRole gave no maximum session for $role_name"
	if [ "$current_max" -gt "$max_session" ]; then
		say "Its maximum session, $current_max s, is longer than the $max_session s asked for: kept (aliyun ram UpdateRole --NewMaxSessionDuration lowers it)."
		max_session=$current_max
	elif [ "$current_max" -lt "$max_session" ]; then
		say "Its maximum session goes from $current_max s to $max_session s."
		set -- "$@" --NewMaxSessionDuration "$max_session"
	fi
	if [ $# -gt 4 ]; then change "$@"; else say "The role $role_name already trusts these subjects, for up to $max_session s: nothing to change."; fi
else
	change ram CreateRole --RoleName "$role_name" --AssumeRolePolicyDocument "$policy" --MaxSessionDuration "$max_session" \
		--Description "Assumed by GitHub Actions in $repo"
fi

# 6. The policies.
# The system policies attached to the role, one a line.
system_policies() { jq -r '.Policies.Policy[]? | select(.PolicyType == "System") | .PolicyName'; }
attached=''
if [ "$dry_run" = false ]; then
	answer=$(read_json '' ram ListPoliciesForRole --RoleName "$role_name")
	attached=$(printf '%s' "$answer" | system_policies)
fi
for name in $policies; do
	printf '%s\n' "$attached" | grep -qxF "$name" || change ram AttachPolicyToRole --PolicyType System --PolicyName "$name" --RoleName "$role_name"
done

# 7. Read it all back and check it.
if [ "$dry_run" = true ]; then
	role_arn="acs:ram::$account:role/$role_name"
else
	role=$(read_json '' ram GetRole --RoleName "$role_name")
	[ "$(printf '%s' "$role" | jq -cS '.Role.AssumeRolePolicyDocument | fromjson')" = "$(printf '%s' "$policy" | jq -cS .)" ] ||
		die "the trust policy of $role_name does not read back as written: $(printf '%s' "$role" | jq -r .Role.AssumeRolePolicyDocument)"
	[ "$(printf '%s' "$role" | jq -r .Role.MaxSessionDuration)" = "$max_session" ] ||
		die "the role $role_name does not read back with a maximum session of $max_session s"
	printf '%s' "$role" | trusted_subjects "$provider_arn" >"$tmp/trusted"
	missing=$(printf '%s\n' "$subjects" | grep -vxF -f "$tmp/trusted" || true)
	[ -z "$missing" ] || die "the role $role_name does not trust $(printf '%s' "$missing" | tr '\n' ' ')"
	role_arn=$(printf '%s' "$role" | jq -r .Role.Arn)
	answer=$(read_json '' ram ListPoliciesForRole --RoleName "$role_name")
	attached=$(printf '%s' "$answer" | system_policies)
	for name in $policies; do printf '%s\n' "$attached" | grep -qxF "$name" || die "the policy $name is not attached to $role_name"; done
	answer=$(read_json '' ims GetOIDCProvider --OIDCProviderName "$provider_name")
	provider=$(printf '%s' "$answer" | jq -c .OIDCProvider)
	[ "$(printf '%s' "$provider" | jq -r .IssuerUrl)" = "$ISSUER" ] || die "the identity provider $provider_name is not for $ISSUER"
	values_of "$provider" ClientIds | grep -qxF "$audience" || die "the identity provider $provider_name lacks the Client ID $audience"
	[ -z "$fingerprint" ] || values_of "$provider" Fingerprints | tr 'A-F' 'a-f' | grep -qxF "$fingerprint" ||
		die "the identity provider $provider_name lacks the fingerprint $fingerprint"
	say "Checked: $role_name trusts $(wc -l <"$tmp/trusted" | tr -d ' ') subject(s) of $provider_name for up to $max_session s, with $(printf '%s\n' "$policies" | wc -l | tr -d ' ') system policies."
fi

# 8. What the workflows need.
say ''
say "Set these repository variables of $repo (Settings > Secrets and variables > Actions > Variables):"
printf '%s=%s\n' "$variable" "$role_arn" ALIBABA_CLOUD_OIDC_PROVIDER_ARN "$provider_arn"
say 'or with the GitHub CLI:'
say "  gh variable set $variable --repo $repo --body '$role_arn'"
say "  gh variable set ALIBABA_CLOUD_OIDC_PROVIDER_ARN --repo $repo --body '$provider_arn'"
