# One-time Alibaba Cloud setup for configure-alibabacloud-credentials (see docs/SETUP.md): a RAM OIDC identity
# provider for GitHub Actions; a role for scans that the subjects in `subjects` may assume, with Prowler's read-only
# policies; and, with `plan_role_name`, a role for examples/terraform-plan.yml that `plan_subjects` may assume (pull
# requests and `main` by default). Both allow sessions of 21600 s, so that `role-session-expiration` can cover a scan
# or a Terraform run (docs/SETUP.md, section 4). An account that already has an identity provider for GitHub's
# issuer (made by the setup script, the console or another tool) can have only that one: pass its ARN as
# `existing_oidc_provider_arn`, or import it (see the resource below). `terraform apply`, then set the repository
# variables the `repository_variables` output lists:
#
#   terraform init
#   terraform apply -var github_owner=my-org -var github_repository=my-repo \
#     -var 'subjects=["ref:refs/heads/main"]' -var plan_role_name=github-terraform-plan
#
# Run it as an administrator of the account (for example a RAM user with AliyunRAMFullAccess), with the
# usual provider credentials: ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET, a CLI profile
# named by ALICLOUD_PROFILE (the provider never reads the file's `current`), or this action itself in a
# workflow that already has such a role.

terraform {
  required_version = ">= 1.3"

  required_providers {
    alicloud = {
      source = "aliyun/alicloud"
      # role_name and assume_role_policy_document on alicloud_ram_role
      version = ">= 1.252.0"
    }
    tls = {
      source  = "hashicorp/tls"
      version = ">= 4.0"
    }
  }
}

provider "alicloud" {
  region = var.region
}

locals {
  issuer = "https://token.actions.githubusercontent.com"

  # GitHub's immutable subject carries the owner and repository IDs; the classic one only their names.
  repository_path = (
    var.github_owner_id != null && var.github_repository_id != null
    ? "${var.github_owner}@${var.github_owner_id}/${var.github_repository}@${var.github_repository_id}"
    : "${var.github_owner}/${var.github_repository}"
  )
  # Each role's subjects written out: "repo:OWNER/REPO:" and the entry, or the entry as it is when it starts with "repo:".
  role_subjects = {
    scan = [for entry in var.subjects : startswith(entry, "repo:") ? entry : "repo:${local.repository_path}:${entry}"]
    plan = [for entry in var.plan_subjects : startswith(entry, "repo:") ? entry : "repo:${local.repository_path}:${entry}"]
  }

  # One trust policy per role: tokens of the identity provider, for GitHub's issuer and the audience, whose subject is
  # one of the role's. StringLike lets a subject hold `*` (tags v*); subjects without one match only themselves.
  trust_policies = {
    for role, subjects in local.role_subjects : role => jsonencode({
      Version = "1"
      Statement = [
        {
          Effect = "Allow"
          Action = "sts:AssumeRole"
          Principal = {
            Federated = [local.oidc_provider_arn]
          }
          Condition = {
            StringEquals = {
              "oidc:iss" = local.issuer
              "oidc:aud" = var.audience
            }
            # Without this condition any repository on github.com could assume the role.
            StringLike = {
              "oidc:sub" = subjects
            }
          }
        }
      ]
    })
  }

  # The SHA-1 fingerprint of the last certificate the issuer's host presents, as Alibaba's OpenSSL procedure takes it
  # (docs/SETUP.md, "The fingerprint"). tls_certificate lists the certificates the host sent, last first: its docs say
  # "the root of the chain first", but it reverses Go's PeerCertificates, the chain as sent, which ends in the root
  # only when the server sends it (hashicorp/terraform-provider-tls v4.2.1, internal/provider/data_source_certificate.go).
  fingerprints = (
    length(var.oidc_fingerprints) > 0
    ? var.oidc_fingerprints
    : data.tls_certificate.github[*].certificates[0].sha1_fingerprint
  )

  # The account's provider for GitHub's issuer when it has one (RAM allows one per issuer), else the one made here.
  # Composed rather than read from the resource: alicloud_ims_oidc_provider exports an `arn` attribute only in
  # recent provider versions; older ones export only `id` (the provider's name) and `create_time`.
  oidc_provider_arn = (
    var.existing_oidc_provider_arn != null
    ? var.existing_oidc_provider_arn
    : "acs:ram::${data.alicloud_account.current.id}:oidc-provider/${one(alicloud_ims_oidc_provider.github[*].oidc_provider_name)}"
  )
}

data "alicloud_account" "current" {}

data "tls_certificate" "github" {
  count = var.existing_oidc_provider_arn == null && length(var.oidc_fingerprints) == 0 ? 1 : 0
  url   = "${local.issuer}/.well-known/openid-configuration"
}

# None when `existing_oidc_provider_arn` names the account's provider for GitHub's issuer: RAM refuses a second one.
# To manage an existing provider here instead, import it (its ID is its name, which `oidc_provider_name` must give)
# rather than passing its ARN: terraform import 'alicloud_ims_oidc_provider.github[0]' github-actions
resource "alicloud_ims_oidc_provider" "github" {
  count = var.existing_oidc_provider_arn == null ? 1 : 0

  oidc_provider_name  = var.oidc_provider_name
  description         = "GitHub Actions OIDC tokens"
  issuer_url          = local.issuer
  fingerprints        = local.fingerprints
  client_ids          = [var.audience]
  issuance_limit_time = var.issuance_limit_time
}

# The role the scans (and any other workflow of `subjects`) assume.
resource "alicloud_ram_role" "github" {
  role_name                   = var.role_name
  description                 = "Assumed by GitHub Actions in ${var.github_owner}/${var.github_repository}"
  max_session_duration        = var.max_session_duration
  assume_role_policy_document = local.trust_policies.scan
}

resource "alicloud_ram_role_policy_attachment" "prowler" {
  for_each = toset(var.system_policies)

  role_name   = alicloud_ram_role.github.role_name
  policy_name = each.value
  policy_type = "System"
}

# The role of examples/terraform-plan.yml, when `plan_role_name` is set. Anyone who can open a pull request runs code
# with it: keep it read-only, and `apply` with another role bound to a protected environment.
resource "alicloud_ram_role" "plan" {
  count = var.plan_role_name == null ? 0 : 1

  role_name                   = var.plan_role_name
  description                 = "terraform plan in ${var.github_owner}/${var.github_repository} (GitHub Actions)"
  max_session_duration        = var.max_session_duration
  assume_role_policy_document = local.trust_policies.plan
}

resource "alicloud_ram_role_policy_attachment" "plan" {
  for_each = var.plan_role_name == null ? toset([]) : toset(var.plan_policies)

  role_name   = alicloud_ram_role.plan[0].role_name
  policy_name = each.value
  policy_type = "System"
}
