policy import broken/recipient-bad-address.json
