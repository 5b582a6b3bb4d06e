check --explain unknown-name
