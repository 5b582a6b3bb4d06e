eval --event aproval-pending --scope entra-role
