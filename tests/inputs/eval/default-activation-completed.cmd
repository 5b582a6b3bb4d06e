eval --event activation-completed --scope entra-role
