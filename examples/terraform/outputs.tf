output "oidc_provider_arn" {
  description = "Value for the action's `oidc-provider-arn` input."
  value       = local.oidc_provider_arn
}

output "role_arn" {
  description = "Value for the action's `role-to-assume` input."
  value       = alicloud_ram_role.github.arn
}

output "oidc_subject" {
  description = "The only OIDC subject the role trusts; compare it with the `sub` of a failing job's token."
  value       = local.subject
}

output "workflow_snippet" {
  description = "The step to paste into the workflow (the job also needs `permissions: id-token: write`)."
  value       = <<-EOT
    - uses: your-org/configure-alibabacloud-credentials@v1
      with:
        role-to-assume: ${alicloud_ram_role.github.arn}
        oidc-provider-arn: ${local.oidc_provider_arn}
  EOT
}
