#!/bin/bash
# One round of reader training on a GPU machine: readers from the bundled model side by side
# (one process each: a run reads about 1,000 windows a second however many share the GPU, so
# several at once use it better), each exported, then a resolver over each reader's encoder.
#
#   bash training/gpu_round.sh DATA OUT SECONDS
#
# DATA: the training folder (training/README.md), with canard/ in it; OUT: where the run folders,
# logs and exports go; SECONDS: each reader's --seconds (window cutting and the held-out figures
# come on top: about 60 s and 10 s on an H200 machine). Variants are lines of VARIANTS below:
# a name and the options added to the thirteenth run's c recipe (model card).
set -u
mkdir -p "$2"
DATA=$(realpath "$1") OUT=$(realpath "$2") SECONDS_EACH=$3
PY=${PY:-python3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
C="--data $DATA --seed 13 --epochs 3 --seconds $SECONDS_EACH --workers 5 --history-turns --selqa 2 --short-previous --roles 30000 --elsewhere 0.3"
VARIANTS=${VARIANTS:-"c|
cr|--removed 0.2
cp|--pronouns 30000"}

reader() {  # name, extra options
  (cd "$ROOT" && timeout -s INT $((SECONDS_EACH + 150)) $PY training/train_reader.py $C --out "$OUT/$1" $2 ${EXTRA:-}
   $PY training/train_reader.py --out "$OUT/$1" --export "$OUT/$1-reader") > "$OUT/$1.log" 2>&1
}

resolver() {  # name: over the encoder of that run's reader
  (cd "$ROOT" && timeout ${RESOLVER_SECONDS:-200} $PY -m training.train_resolver --data "$DATA/canard" --reader "$OUT/$1-reader" \
     --answers "$DATA/squad-train-v1.1.json" --out "$OUT/$1-resolver-run" --tune-layers 2 ${RESOLVER_EXTRA:-}
   $PY -m training.train_resolver --out "$OUT/$1-resolver-run" --export "$OUT/$1-resolver") > "$OUT/$1-resolver.log" 2>&1
}

while IFS='|' read -r name options; do reader "$name" "$options" & done <<< "$VARIANTS"
wait
while IFS='|' read -r name options; do resolver "$name" & done <<< "$VARIANTS"
wait
grep -h "held out\|the plan is\|done in" "$OUT"/*/train.log
