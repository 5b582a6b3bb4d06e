policy export no-policy-id.pimrules --to terraform
