check e017-deep-placeables
