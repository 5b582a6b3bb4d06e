#!/usr/bin/env bash
# Run fuzz targets for a bounded time each: fuzz/run.sh [SECONDS] [TARGET…]
# (default: 600 seconds, every target in src/bin/). Needs `cargo install cargo-fuzz`; the stable
# compiler accepts cargo-fuzz's `-Z` flags with RUSTC_BOOTSTRAP=1. Crashes land in
# fuzz/artifacts/<target>/; the final stats (execs, corpus size) are printed at the end. Safe
# Rust needs no AddressSanitizer, so targets run without it (about three times faster).
set -euo pipefail
fuzz="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for file in "$fuzz"/src/bin/*.rs; do targets+=("$(basename "$file" .rs)"); done
fi
cd "$fuzz"
[ -d corpus ] || ./seed.sh
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  echo "== $target: $seconds s"
  RUSTC_BOOTSTRAP=1 nice -n 19 cargo fuzz run -O --sanitizer none "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 ||
    { echo "== $target: crashed, see fuzz/artifacts/$target/"; status=1; }
done
exit "${status:-0}"
