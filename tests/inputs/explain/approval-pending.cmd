explain --event approval-pending --scope entra-role --set explicit-approvers=true --set approved-before-first-email=true
