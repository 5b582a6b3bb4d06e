explain --event activation-completed --scope entra-role --set notifications-setting=disable --recipient global-administrator
