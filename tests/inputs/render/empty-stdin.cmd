render --input -
