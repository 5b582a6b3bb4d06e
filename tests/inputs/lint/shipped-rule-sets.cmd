lint --rules entra-pim-2018 --rules account-provisioning
