check e017-catalogue-link/main.pimrules
