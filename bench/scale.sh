#!/usr/bin/env bash
# bench/scale.sh: a full `xinyong run` against plain Hugo on the same export, in one run. It creates a demo
# database, publishes it (timed under /usr/bin/time -v, each step from release.json), then builds the
# release's export tree with Hugo and the trivial theme of bench/trivial-theme (`xinyong build --theme`:
# the same site configuration, templates that print a title and the paginated links). It prints the wall
# time and peak RSS of both and the ratio run ÷ plain Hugo: issue 13's targets are ≤ 0.5 and ≤ 1.5 GB at
# 100,000 entries, and a run of ≤ 10 minutes and ≤ 4 GB at 1,000,000 (where plain Hugo does not fit in this
# machine's memory: SKIP_HUGO=1 leaves it out).
#
#	bench/scale.sh                            # 100,000 entries, data under ${TMPDIR:-/tmp}
#	TMPDIR=/dev/shm bench/scale.sh            # on tmpfs
#	ENTRIES=1000000 SKIP_HUGO=1 bench/scale.sh
#	DB=/var/tmp/demo1m.db ENTRIES=1000000 SKIP_HUGO=1 bench/scale.sh   # a demo database made before
set -euo pipefail

cd "$(dirname "$0")/.."

. bench/lib.sh
setup scale

if [ -n "${DB:-}" ]; then
	# A demo database made before (xinyong demo --entries N --as-of AS_OF): a million entries take minutes to make.
	say "demo database: $DB"
	db=$DB
else
	say "demo database: $entries entries as of $as_of"
	"$bin" demo --db "$db" --entries "$entries" --as-of "$as_of" >/dev/null 2>&1
fi

say "xinyong run"
timed run "$bin" run --db "$db" --data "$data" --as-of "$as_of" --log-format text
run_wall=$wall run_rss=$rss
release=$(readlink -f "$data/current")

if [ "${SKIP_HUGO:-}" != 1 ]; then
	say "plain Hugo, trivial templates, on the same export"
	timed hugo "$bin" build --content "$release/content" --out "$work/plain" --theme bench/trivial-theme
	hugo_wall=$wall hugo_rss=$rss
fi

say "results ($entries entries, data on $(df --output=fstype "$work" | tail -1))"
"$work/manifest" "$release"
printf '%-26s %10s %12s\n' "" "wall s" "peak RSS MB"
printf '%-26s %10.2f %12d\n' "xinyong run" "$run_wall" "$run_rss"
if [ "${SKIP_HUGO:-}" != 1 ]; then
	printf '%-26s %10.2f %12d   (%d files)\n' "plain Hugo, trivial theme" "$hugo_wall" "$hugo_rss" "$(find "$work/plain" -type f | wc -l)"
	printf 'run / plain Hugo: %.2f (target ≤ 0.5)\n' "$(echo "$run_wall / $hugo_wall" | bc -l)"
fi
