#!/bin/sh
# Seeds the corpora of the `analyze` and `vocab` fuzz targets from the repository's own notes and
# vocabulary files (the other targets start from nothing). Run from anywhere; writes under
# fuzz/corpus/, which git ignores.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
mkdir -p "$here/corpus/analyze" "$here/corpus/vocab"
n=0
for f in "$repo"/examples/*.md "$repo"/tests/fixtures/*.txt "$repo"/tests/fixtures/fresh/* "$repo"/README.md; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    # first byte: bit 0 = plain text, the rest = where completion is asked
    { printf '\000'; cat "$f"; } > "$here/corpus/analyze/seed-md-$n"
    { printf '\377'; cat "$f"; } > "$here/corpus/analyze/seed-txt-$n"
done
for f in "$repo"/vocab/*.toml; do
    b=$(basename "$f" .toml)
    # 0x00: with the embedded vocabulary, as an embedded file; 0x01: with it, as a user file;
    # 0x02: alone
    { printf '\000'; cat "$f"; } > "$here/corpus/vocab/seed-$b-embedded"
    { printf '\001'; cat "$f"; } > "$here/corpus/vocab/seed-$b-user"
    { printf '\002'; cat "$f"; } > "$here/corpus/vocab/seed-$b-alone"
done
echo "seeded: $(ls "$here/corpus/analyze" | wc -l) analyze, $(ls "$here/corpus/vocab" | wc -l) vocab"
