eval --rules entra-pim --rules account-provisioning --event activation-completed --scope entra-role
