eval --event approval-pending --scope entra-role --format json
