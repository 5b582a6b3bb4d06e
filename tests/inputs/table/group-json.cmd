table --scope group --format json
