check e017-missing-message
