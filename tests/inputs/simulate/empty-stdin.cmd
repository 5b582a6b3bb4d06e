simulate --input -
