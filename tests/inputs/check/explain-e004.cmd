check --explain E004
