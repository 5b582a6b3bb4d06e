policy import real/arm-2018-01-01-preview-GetRoleDefinitionAtScope.response.json
