eval --event weekly-digest --scope entra-role --set cloud=china --expect ""
