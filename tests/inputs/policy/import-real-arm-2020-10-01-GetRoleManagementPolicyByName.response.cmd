policy import real/arm-2020-10-01-GetRoleManagementPolicyByName.response.json
