check --explain W003
