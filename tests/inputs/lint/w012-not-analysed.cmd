lint not-analysed.pimrules --fail-level warning
