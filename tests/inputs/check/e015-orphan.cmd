check e015-orphan
