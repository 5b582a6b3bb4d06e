policy import real/arm-2020-10-01-GetRoleManagementPolicyAssignmentByScope.response.json
