table --scope entra-role --event approval-pending,activation-completed,pim-enabled --recipient privileged-role-administrator,security-administrator,global-administrator
