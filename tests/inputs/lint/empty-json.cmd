lint --format json
