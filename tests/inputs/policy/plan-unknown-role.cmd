plan real/arm-2020-10-01-GetRoleManagementPolicyAssignmentByName.response.json plan-desired-azure.pimrules
