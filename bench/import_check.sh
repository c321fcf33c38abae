#!/usr/bin/env bash
# Fingerprints of what the importer makes of every fixture, to show that a change to the importer
# leaves its output as it was (docs/import-checks.md). Run from the repository root:
#
#   bench/import_check.sh BUILD_DIR [EXTRA_TRACE...] > before.txt
#   ... change the importer, rebuild ...
#   bench/import_check.sh BUILD_DIR [EXTRA_TRACE...] > after.txt && diff before.txt after.txt
#
# For each trace in tests/data, tests/data/sweep, tests/data/bad and the fuzz corpus (and each
# EXTRA_TRACE, e.g. bench/make_big_trace.py output): the whole-model digest (bench/model_digest)
# with the default threads, with one thread and with small read windows, and the sha256 of
# `gaplens report --format json` (stdout, then stderr and the exit code). Also several files at
# once, as recorded and aligned at their start.
set -u
build=${1:?usage: import_check.sh BUILD_DIR [EXTRA_TRACE...]}
shift
digest="$build/bench/model_digest"
gaplens="$build/app/gaplens/gaplens"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=(tests/data/*.json tests/data/*.json.gz tests/data/sweep/*.json tests/data/bad/*.json tests/fuzz/corpus/*/*)
for f in "${files[@]}" "$@"; do
  [ -f "$f" ] || continue
  "$digest" --each "$f"
  "$digest" --each --threads 1 "$f"
  "$digest" --each --threads 2 --window 65536 "$f"
  "$gaplens" report "$f" --format json >"$tmp/out" 2>"$tmp/err"
  rc=$?
  echo "$f: report json $(sha256sum <"$tmp/out" | cut -c1-16), stderr $(sha256sum <"$tmp/err" | cut -c1-16), exit $rc"
done
"$digest" tests/data/sweep/*.json
"$digest" --align tests/data/sweep/*.json
"$digest" --align tests/data/torch_mm64_warm.json tests/data/torch_mm64_cold.json tests/data/torch_train_step.json.gz
"$digest" --threads 1 --window 65536 tests/data/torch_mm8192_cold.json tests/data/torch_mm8192_warm.json.gz
