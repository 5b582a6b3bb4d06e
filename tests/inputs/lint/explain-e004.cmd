lint --explain E004
