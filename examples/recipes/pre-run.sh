#!/bin/sh
# A plain shell pre-run: sh pre-run.sh lr=0.1 epochs=5. A copy of the source in $WORK (a new
# temporary directory unless set), its flags rewritten there, then the script run plainly.
set -eu
WORK=${WORK:-$(mktemp -d)}
cp train.py "$WORK/"
guild-stage apply --dir "$WORK" train.py --flags "$@" --patch "$WORK/flags.patch" -q && (cd "$WORK" && python3 train.py)
