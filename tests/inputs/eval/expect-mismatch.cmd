eval --event approval-pending --scope entra-role --expect security-administrator,approver
