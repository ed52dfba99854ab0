#!/usr/bin/env bash
# bench/log.sh: what the publication log (issue 15) costs a publication. On one demo database it builds
# xinyong at BASE (default edbf2aa, the last commit before the log) and at the work tree, and alternates
# full publications of both into fresh data directories, ROUNDS times (default 3), so that both see the
# same machine load. It then publishes a busy night (1% of the entries corrected, 0.2% repaired, 0.2% new,
# as bench/night.sh does) with the work tree's binary. It prints:
#
#   - each full run's wall time, both medians and their ratio (the cost the log adds to a full run: the
#     log step itself and the record renderer summing every page it writes);
#   - the log step's time in each full run and in the busy night, against the full run's median;
#   - the size of the data directory's log/ after the first publication and after the night, and what the
#     night added to it, to each release (site.sums, log/) and to the published site/log/.
#
#	bench/log.sh                         # 100,000 entries, data under ${TMPDIR:-/tmp}
#	TMPDIR=/dev/shm bench/log.sh         # on tmpfs
#	ENTRIES=20000 ROUNDS=5 bench/log.sh  # another size, more rounds
set -euo pipefail

cd "$(dirname "$0")/.."

. bench/lib.sh
setup log
base=${BASE:-edbf2aa}
rounds=${ROUNDS:-3}

say "building the baseline at $base"
git worktree add -q --detach "$work/base-src" "$base"
trap 'git worktree remove --force "$work/base-src" 2>/dev/null || true; [ "${KEEP:-}" = 1 ] || rm -rf "$work"' EXIT
(cd "$work/base-src" && go build -o "$work/xinyong-base" ./cmd/xinyong)

say "demo database: $entries entries as of $as_of"
"$bin" demo --db "$db" --entries "$entries" --as-of "$as_of" >/dev/null 2>&1

step() { # step RELEASE_DIR NAME: the step's seconds from the manifest, or "-"
	"$work/manifest" "$1" | awk -v s="$2" '$1 == s { print $2; f = 1 } END { if (!f) print "-" }'
}

declare -a base_walls new_walls new_logs
for i in $(seq 1 "$rounds"); do
	for which in base new; do
		exe=$bin
		[ "$which" = base ] && exe=$work/xinyong-base
		rm -rf "$work/data-$which"
		say "round $i: full publication ($which)"
		timed "full-$which-$i" "$exe" run --db "$db" --data "$work/data-$which" --as-of "$as_of" --log-format text
		rel=$(readlink -f "$work/data-$which/current")
		"$work/manifest" "$rel" | grep -v '^#' >"$work/steps-$which-$i"
		if [ "$which" = base ]; then
			base_walls+=("$wall")
		else
			new_walls+=("$wall")
			new_logs+=("$(step "$rel" log)")
		fi
	done
done

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
bm=$(median "${base_walls[@]}")
nm=$(median "${new_walls[@]}")

data=$work/data-new
first=$(readlink -f "$data/current")
log_first=$(du -sb "$data/log" | cut -f1)

say "a busy night: 1% corrected, 0.2% repaired, 0.2% new"
busy_night "$db" "$as_of"
timed night "$bin" run --db "$db" --data "$data" --as-of "$as_of" --log-format text
night=$(readlink -f "$data/current")
log_night=$(du -sb "$data/log" | cut -f1)
grep -h 'msg=log ' "$work/full-new-1.log" "$work/night.log" | sed 's/^.*msg=log /log: /' >&2

say "results ($entries entries, $rounds rounds)"
printf 'full runs, wall s:   baseline %s   with the log %s\n' "${base_walls[*]}" "${new_walls[*]}"
printf 'medians:             baseline %.2f   with the log %.2f   ratio %.3f (cost added %.1f%%)\n' "$bm" "$nm" \
	"$(echo "$nm / $bm" | bc -l)" "$(echo "($nm / $bm - 1) * 100" | bc -l)"
printf 'log step, full runs: %s s (median %.2f s = %.1f%% of the full run median)\n' "${new_logs[*]}" \
	"$(median "${new_logs[@]}")" "$(echo "$(median "${new_logs[@]}") / $nm * 100" | bc -l)"
echo "step medians, s:    baseline   with the log"
for st in $(awk '{ print $1 }' "$work/steps-new-1"); do
	bs=$(cat "$work"/steps-base-* | awk -v s="$st" '$1 == s { print $2 }')
	b=-
	[ -n "$bs" ] && b=$(median $bs)
	n=$(median $(cat "$work"/steps-new-* | awk -v s="$st" '$1 == s { print $2 }'))
	printf '  %-16s %8s %8s\n' "$st" "$b" "$n"
done
nl=$(step "$night" log)
printf 'busy night:          wall %.2f s, log step %s s (%.1f%% of the full run median)\n' "$wall" "$nl" \
	"$(echo "$nl / $nm * 100" | bc -l)"
printf 'log/ after the first publication: %.1f MB; after the night: %.1f MB (+%.2f MB)\n' \
	"$(echo "$log_first / 1000000" | bc -l)" "$(echo "$log_night / 1000000" | bc -l)" \
	"$(echo "($log_night - $log_first) / 1000000" | bc -l)"
for r in "$first" "$night"; do
	printf 'release %s: site.sums %.1f MB, log/ %.2f MB, site/log/ %.1f MB\n' "$(basename "$r")" \
		"$(echo "$(du -sb "$r/site.sums" | cut -f1) / 1000000" | bc -l)" \
		"$(echo "$(du -sb "$r/log" | cut -f1) / 1000000" | bc -l)" \
		"$(echo "$(du -sb "$r/site/log" | cut -f1) / 1000000" | bc -l)"
done
echo "the night's new log files:"
find "$data/log" -newer "$first/release.json" -type f -printf '%s %P\n' | sort -k2 >&1
