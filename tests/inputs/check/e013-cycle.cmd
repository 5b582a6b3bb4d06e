check e013-cycle/main.pimrules
