render --input role-settings.json
