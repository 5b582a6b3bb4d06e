lint gaps.pimrules --fail-level warning
