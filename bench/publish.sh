#!/usr/bin/env bash
# bench/publish.sh: one full publication of a demo database end to end (`xinyong run`), then the same run
# again with nothing changed, each under /usr/bin/time -v. Prints each step's time (release.json, and the
# log for the publish step, which release.json cannot hold), the wall time and peak RSS of both runs, and
# the ratio no-change / full (target: under 0.1).
#
#	bench/publish.sh                      # 100,000 entries, data under ${TMPDIR:-/tmp}
#	TMPDIR=/dev/shm bench/publish.sh      # on tmpfs, to take the shared disk out (docs/benchmarks.md)
#	ENTRIES=20000 KEEP=1 bench/publish.sh # another size; keep the work directory
set -euo pipefail

cd "$(dirname "$0")/.."

. bench/lib.sh
setup publish

say "demo database: $entries entries as of $as_of"
timed demo "$bin" demo --db "$db" --entries "$entries" --as-of "$as_of"
printf 'demo: %.2f s, peak RSS %d MB\n' "$wall" "$rss"

say "full publication into $data"
timed full "$bin" run --db "$db" --data "$data" --as-of "$as_of" --log-format text
full_wall=$wall full_rss=$rss
cat "$work/full.out"
release=$(readlink -f "$data/current")
"$work/manifest" "$release" >"$work/steps"
publish=$(sed -n 's/.*msg=step .*step=publish duration=\([^ ]*\).*/\1/p' "$work/full.log")
echo "# size on disk: $(du -sh "$release" | cut -f1), $(find "$release" -type f | wc -l) files"

say "the same publication again: nothing changed"
timed rerun "$bin" run --db "$db" --data "$data" --as-of "$as_of" --log-format text
rerun_wall=$wall rerun_rss=$rss
cat "$work/rerun.out"
grep -q 'msg="unchanged: nothing published"' "$work/rerun.log" || {
	echo "the rerun published something" >&2
	exit 1
}
rerun_export=$(sed -n 's/.*msg=step .*step=export duration=\([^ ]*\).*/\1/p' "$work/rerun.log")

say "results ($entries entries, data on $(df --output=fstype "$work" | tail -1))"
printf '%-22s %10s %12s\n' step seconds "peak RSS MB"
sed -n 's/^\([a-z]*\) \(.*\)$/\1 \2/p' "$work/steps" | while read -r name secs; do
	printf '%-22s %10.2f\n' "$name" "$secs"
done
printf '%-22s %10s   (from the log)\n' publish "$publish"
printf '%-22s %10.2f %12d\n' "full run (wall)" "$full_wall" "$full_rss"
printf '%-22s %10s\n' "rerun: export" "$rerun_export"
printf '%-22s %10.2f %12d\n' "no-change run (wall)" "$rerun_wall" "$rerun_rss"
printf 'ratio no-change / full: %.3f (target < 0.1)\n' "$(echo "$rerun_wall / $full_wall" | bc -l)"
head -1 "$work/steps"
