lint --explain notification-gap
