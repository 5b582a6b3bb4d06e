#!/usr/bin/env bash
# Seed the fuzz corpora from the shipped rules and the test inputs (tests/inputs/**).
# Usage: fuzz/seed.sh            (from anywhere; fills fuzz/corpus/<target>/, keeps what is there)
set -euo pipefail
fuzz="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$fuzz")"
corpus="$fuzz/corpus"
mkdir -p "$corpus/check" "$corpus/eval" "$corpus/render" "$corpus/simulate"

# check: every rule file we have
for file in "$repo"/rules/*.pimrules $(find "$repo/tests/inputs" -name '*.pimrules' | sort); do
  cp "$file" "$corpus/check/$(basename "$(dirname "$file")")-$(basename "$file")"
done

# eval: a question line (SCOPE EVENT FACT=VALUE…), then a Graph policy document
questions=(
  "entra-role approval-pending explicit-approvers=false"
  "azure-resource role-assigned assignment=active duration=permanent"
  "group activation-completed notifications-setting=disable"
  "entra-role alert alert-type=stale-accounts alert-enabled=true"
  "entra-role weekly-digest cloud=government"
)
policies=$(find "$repo/tests/inputs/policy" "$repo/tests/inputs/eval" "$repo/tests/inputs/test" -name '*.json' | sort)
index=0
for question in "${questions[@]}"; do
  printf '%s\n' "$question" > "$corpus/eval/question-$index"
  for policy in $policies; do
    { printf '%s\n' "$question"; cat "$policy"; } > "$corpus/eval/question-$index-$(basename "$policy")"
  done
  index=$((index + 1))
done

# render: every instance
for file in "$repo"/tests/inputs/render/*.json; do
  cp "$file" "$corpus/render/$(basename "$file")"
done
# simulate: the example week, whole and in pieces of 20 lines, and the logs of the tests
for file in "$repo"/examples/week/events.jsonl "$repo"/tests/inputs/simulate/*.jsonl; do
  cp "$file" "$corpus/simulate/$(basename "$file")"
done
split -l 20 "$repo/examples/week/events.jsonl" "$corpus/simulate/week-part-"
echo "seeded: $(ls "$corpus/check" | wc -l) check, $(ls "$corpus/eval" | wc -l) eval," \
  "$(ls "$corpus/render" | wc -l) render, $(ls "$corpus/simulate" | wc -l) simulate"
