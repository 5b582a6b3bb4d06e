check e017-cycle
