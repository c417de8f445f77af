# One-time Alibaba Cloud setup for configure-alibabacloud-credentials (see docs/SETUP.md):
# a RAM OIDC identity provider for GitHub Actions, a RAM role that only one branch of one repository can
# assume, and the read-only policies Prowler needs. `terraform apply`, then copy the two outputs into the
# workflow (or into repository variables).
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
  subject = "repo:${local.repository_path}:ref:refs/heads/${var.github_branch}"

  # RAM wants the SHA-1 fingerprint of the root CA certificate of the issuer's host; tls_certificate lists
  # the chain with the root first.
  fingerprints = (
    length(var.oidc_fingerprints) > 0
    ? var.oidc_fingerprints
    : [data.tls_certificate.github[0].certificates[0].sha1_fingerprint]
  )

  # Composed rather than read from the resource: alicloud_ims_oidc_provider exports an `arn` attribute only in
  # recent provider versions; older ones export only `id` (the provider's name) and `create_time`.
  oidc_provider_arn = "acs:ram::${data.alicloud_account.current.id}:oidc-provider/${alicloud_ims_oidc_provider.github.oidc_provider_name}"
}

data "alicloud_account" "current" {}

data "tls_certificate" "github" {
  count = length(var.oidc_fingerprints) > 0 ? 0 : 1
  url   = "${local.issuer}/.well-known/openid-configuration"
}

resource "alicloud_ims_oidc_provider" "github" {
  oidc_provider_name  = var.oidc_provider_name
  description         = "GitHub Actions OIDC tokens"
  issuer_url          = local.issuer
  fingerprints        = local.fingerprints
  client_ids          = [var.audience]
  issuance_limit_time = var.issuance_limit_time
}

resource "alicloud_ram_role" "github" {
  role_name            = var.role_name
  description          = "Assumed by GitHub Actions in ${var.github_owner}/${var.github_repository} (${var.github_branch})"
  max_session_duration = var.max_session_duration

  assume_role_policy_document = jsonencode({
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
            # Without this condition any repository on github.com could assume the role.
            "oidc:sub" = local.subject
          }
        }
      }
    ]
  })
}

resource "alicloud_ram_role_policy_attachment" "prowler" {
  for_each = toset(var.system_policies)

  role_name   = alicloud_ram_role.github.role_name
  policy_name = each.value
  policy_type = "System"
}
