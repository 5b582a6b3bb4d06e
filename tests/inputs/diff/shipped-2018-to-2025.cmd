diff entra-pim-2018 entra-pim
