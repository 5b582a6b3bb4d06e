policy export no-policy-id.pimrules --to graph
