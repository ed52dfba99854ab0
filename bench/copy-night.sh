#!/usr/bin/env bash
# bench/copy-night.sh SRC DEST: a private copy of a work directory that `KEEP=1 bench/night.sh` left (SRC:
# its exchange.db, binaries and data directory), on which bench/night-again.sh and bench/build-again.sh may
# run: the databases copied (SQLite writes them in place), the last two releases hard-linked (a run only
# adds releases and renames files over others). On tmpfs at 100,000 entries it costs ~650,000 inodes.
set -euo pipefail
src=$1 dest=$2
mkdir -p "$dest/data/releases"
cp "$src"/exchange.db* "$dest/"
cp "$src"/xinyong "$src"/manifest "$dest/"
cp "$src"/data/state.db "$dest/data/"
for f in content.pages records.rowstore; do cp "$src/data/$f" "$dest/data/$f"; done
for r in $(ls -d "$src"/data/releases/2* | sort | tail -2); do cp -al "$r" "$dest/data/releases/"; done
ln -s "$(readlink "$src/data/current")" "$dest/data/current"
echo "copied to $dest: $(ls "$dest/data/releases" | tr '\n' ' ')"
