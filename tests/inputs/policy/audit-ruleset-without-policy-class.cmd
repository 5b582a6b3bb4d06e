audit --rules account-provisioning audit-pass.pimrules
