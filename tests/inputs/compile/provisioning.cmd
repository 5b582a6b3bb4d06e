compile --rules account-provisioning
