eval --event approval-pending --scope entra-role --set explicit-approver=true
