explain --event alert --scope entra-role --set alert-type=no-p2-license --set alert-enabled=false --format json
