lint --explain W003
