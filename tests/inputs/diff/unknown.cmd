diff entra-pim no-such-rules
