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

variable "subjects" {
  description = <<-EOT
    Who may assume the scan role: subjects of GitHub's OIDC token, each written after "repo:OWNER/REPO:" (or whole,
    starting with "repo:", for a customized subject). `*` matches any characters. Examples: "ref:refs/heads/main"
    (pushes, schedules and manual runs on main), "ref:refs/tags/v*", "pull_request", "environment:production".
    docs/SETUP.md, section 3, lists the subjects GitHub sends.
  EOT
  type        = list(string)
  default     = ["ref:refs/heads/main"]

  validation {
    condition     = length(var.subjects) > 0 && alltrue([for s in var.subjects : length(trimspace(s)) > 0 && s != "*"])
    error_message = "subjects needs at least one subject, and none may be empty or a bare \"*\"."
  }
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

variable "existing_oidc_provider_arn" {
  description = <<-EOT
    ARN of the account's identity provider for GitHub's issuer, when it has one already (RAM allows one per issuer
    URL): the roles trust it and no provider is created, so its fingerprints and Client IDs stay as they are (it must
    have `audience` among them). Null creates one named `oidc_provider_name`.
  EOT
  type        = string
  default     = null

  validation {
    condition     = var.existing_oidc_provider_arn == null || can(regex("^acs:ram::[0-9]+:oidc-provider/[^/]+$", var.existing_oidc_provider_arn))
    error_message = "existing_oidc_provider_arn must look like acs:ram::123456789012:oidc-provider/github-actions."
  }
}

variable "oidc_fingerprints" {
  description = <<-EOT
    SHA-1 fingerprints of the last certificate the issuer's host presents (40 hex characters each, at most five;
    docs/SETUP.md, "The fingerprint"). Leave empty to compute it from the chain GitHub serves when Terraform runs.
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
    Longest session the roles allow, in seconds (3600-43200). STS refuses a `role-session-expiration` above it
    (InvalidParameter.DurationSeconds). The default, 21600 (6 hours, the longest a job runs on a GitHub-hosted
    runner), allows a session that covers a scan or a Terraform run: docs/SETUP.md, section 4.
  EOT
  type        = number
  default     = 21600

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

variable "plan_role_name" {
  description = "Name of a second role, for examples/terraform-plan.yml (e.g. github-terraform-plan); null creates none."
  type        = string
  default     = null
}

variable "plan_subjects" {
  description = "Who may assume the plan role, written as in `subjects`: by default pull requests and pushes to main."
  type        = list(string)
  default     = ["pull_request", "ref:refs/heads/main"]

  validation {
    condition     = length(var.plan_subjects) > 0 && alltrue([for s in var.plan_subjects : length(trimspace(s)) > 0 && s != "*"])
    error_message = "plan_subjects needs at least one subject, and none may be empty or a bare \"*\"."
  }
}

variable "plan_policies" {
  description = <<-EOT
    System policies of the plan role. ReadOnlyAccess lets `terraform plan` read what it manages and the state in OSS;
    a backend with a Tablestore lock table also needs write access to that table. It also reads data (objects, log
    contents, user data, kubeconfigs) for every pull request's code: docs/SETUP.md, "The setup script", says what to
    deny beside it.
  EOT
  type        = list(string)
  default     = ["ReadOnlyAccess"]
}
