output "oidc_provider_arn" {
  description = "Value for the action's `oidc-provider-arn` input."
  value       = local.oidc_provider_arn
}

output "role_arn" {
  description = "Value for the action's `role-to-assume` input."
  value       = alicloud_ram_role.github.arn
}

output "oidc_subjects" {
  description = "The OIDC subjects each role trusts; compare them with the `sub` of a failing job's token."
  value       = { for role, subjects in local.role_subjects : role => subjects if role == "scan" || var.plan_role_name != null }
}

output "plan_role_arn" {
  description = "Value for examples/terraform-plan.yml's `role-to-assume` (repository variable ALIBABA_CLOUD_PLAN_ROLE_ARN)."
  value       = var.plan_role_name == null ? null : alicloud_ram_role.plan[0].arn
}

output "repository_variables" {
  description = "The repository variables the example workflows read (Settings > Secrets and variables > Actions > Variables)."
  value = merge(
    {
      ALIBABA_CLOUD_ROLE_ARN          = alicloud_ram_role.github.arn
      ALIBABA_CLOUD_OIDC_PROVIDER_ARN = local.oidc_provider_arn
    },
    var.plan_role_name == null ? {} : { ALIBABA_CLOUD_PLAN_ROLE_ARN = alicloud_ram_role.plan[0].arn },
  )
}

output "workflow_snippet" {
  description = "The step to paste into the workflow (the job also needs `permissions: id-token: write`)."
  value       = <<-EOT
    - uses: your-org/configure-alibabacloud-credentials@v1
      with:
        role-to-assume: ${alicloud_ram_role.github.arn}
        oidc-provider-arn: ${local.oidc_provider_arn}
        # Only for a scan or Terraform run that may outlast the default hour; other jobs leave it out and keep the
        # hour (docs/SETUP.md, section 4).
        role-session-expiration: ${var.max_session_duration}
  EOT
}
