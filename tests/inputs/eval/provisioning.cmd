eval --rules account-provisioning --event provisioning-failure --scope app-provisioning
