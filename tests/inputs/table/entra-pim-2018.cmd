table --rules entra-pim-2018
