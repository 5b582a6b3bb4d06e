render --rules entra-pim-2018 --input entra-assignment.json
