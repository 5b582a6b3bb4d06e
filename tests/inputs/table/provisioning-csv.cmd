table --rules account-provisioning --format csv
