eval --event approval-pending --scope entra-role --set explicit-approvers=true --explain
