check e017-missing-reference
