policy import real/arm-2020-10-01-PatchPartialRoleManagementPolicy.response.json
