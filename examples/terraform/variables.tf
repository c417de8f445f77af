variable "region" {
  description = "Region for the provider. RAM is global; any region ID works."
  type        = string
  default     = "cn-hangzhou"
}

variable "github_owner" {
  description = "Owner (organization or user) of the repository allowed to assume the role."
  type        = string
}

variable "github_repository" {
  description = "Name of the repository allowed to assume the role, without the owner."
  type        = string
}

variable "github_branch" {
  description = "Branch whose workflows may assume the role (push, schedule and workflow_dispatch runs on it)."
  type        = string
  default     = "main"
}

variable "github_owner_id" {
  description = <<-EOT
    Numeric ID of the owner. Set it together with github_repository_id when the repository uses GitHub's
    immutable subject (repo:OWNER@OWNER_ID/REPO@REPO_ID:...). `gh api repos/OWNER/REPO --jq '.owner.id, .id'`
    prints both.
  EOT
  type        = string
  default     = null
}

variable "github_repository_id" {
  description = "Numeric ID of the repository; see github_owner_id."
  type        = string
  default     = null
}

variable "oidc_provider_name" {
  description = "Name of the RAM OIDC identity provider; it becomes part of its ARN."
  type        = string
  default     = "github-actions"
}

variable "oidc_fingerprints" {
  description = <<-EOT
    SHA-1 fingerprints of the issuer's root CA certificate (40 hex characters each, at most five). Leave
    empty to compute the fingerprint from the certificate chain GitHub serves when Terraform runs.
  EOT
  type        = list(string)
  default     = []
}

variable "audience" {
  description = "Client ID of the identity provider; must equal the action's `audience` input."
  type        = string
  default     = "sts.aliyuncs.com"
}

variable "issuance_limit_time" {
  description = "Hours after issue during which RAM still accepts a GitHub token (1-168)."
  type        = number
  default     = 12
}

variable "role_name" {
  description = "Name of the RAM role the workflow assumes."
  type        = string
  default     = "github-prowler-scan"
}

variable "max_session_duration" {
  description = <<-EOT
    Longest session the role allows, in seconds (3600-43200). STS refuses a `role-session-expiration` above it
    (InvalidParameter.DurationSeconds); it does not shorten the session. Prowler reads its credentials once, so
    the session must cover the scan: the default allows the 10800 s of examples/prowler-scheduled-scan.yml
    (the composite in examples/prowler-alibabacloud asks for 21600).
  EOT
  type        = number
  default     = 10800

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200
    error_message = "max_session_duration must be between 3600 and 43200 seconds."
  }
}

variable "system_policies" {
  description = "System policies attached to the role: the read-only access Prowler needs."
  type        = list(string)
  default = [
    "AliyunRAMReadOnlyAccess",
    "AliyunECSReadOnlyAccess",
    "AliyunVPCReadOnlyAccess",
    "AliyunOSSReadOnlyAccess",
    "AliyunActionTrailReadOnlyAccess",
    "AliyunLogReadOnlyAccess",
    "AliyunRDSReadOnlyAccess",
    "AliyunCSReadOnlyAccess",
    "AliyunYundunSASReadOnlyAccess",
  ]
}
