eval --event pim-enabled --scope entra-role --expect privileged-role-administrator,security-administrator,global-administrator,assignee
