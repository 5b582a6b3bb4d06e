compile ../check/e006-value-outside-domain.pimrules
