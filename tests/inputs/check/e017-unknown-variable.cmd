check e017-unknown-variable
