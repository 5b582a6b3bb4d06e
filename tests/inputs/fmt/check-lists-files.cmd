fmt --check ../fmt
