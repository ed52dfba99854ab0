#!/usr/bin/env bash
# bench/night.sh: what an ordinary night costs against a full publication. On a demo database it times,
# under /usr/bin/time -v, in one run:
#
#   full      the first publication;
#   same      a publication of the same data again (--force): the cost of a night on which nothing changed;
#   changed   a publication after the departments changed the database as on a busy night: 1% of the
#             entries get a corrected reason, 0.2% are repaired (信用修复), 0.2% are new.
#
# It prints each step's time of the three runs, their wall time and peak RSS, the ratios changed/same and
# changed/full, and how many of the changed night's files are new rather than hard links to the night
# before (targets of issue 13: changed ≤ 2.5× same, ≤ 25% of full, ≤ 5% of the files rewritten). It then
# checks that every repaired entry is gone from its page, its subject's page, the lists, the feeds, the
# sitemaps and the downloads (the search index is checked by the tests: publish TestRun_*).
#
#	bench/night.sh                        # 100,000 entries, data under ${TMPDIR:-/tmp}
#	TMPDIR=/dev/shm bench/night.sh        # on tmpfs
#	ENTRIES=20000 KEEP=1 bench/night.sh   # another size; keep the work directory
set -euo pipefail

cd "$(dirname "$0")/.."

. bench/lib.sh
setup night

say "demo database: $entries entries as of $as_of"
"$bin" demo --db "$db" --entries "$entries" --as-of "$as_of" >/dev/null 2>&1

run=("$bin" run --db "$db" --data "$data" --as-of "$as_of" --log-format text --keep 5)

say "full publication"
timed full "${run[@]}"
full_wall=$wall full_rss=$rss
full_rel=$(readlink -f "$data/current")

say "the same data again (--force): a night on which nothing changed"
timed same "${run[@]}" --force
same_wall=$wall same_rss=$rss
same_rel=$(readlink -f "$data/current")

say "a busy night: 1% corrected, 0.2% repaired, 0.2% new"
busy_night "$db" "$as_of"
sqlite3 "$db" "SELECT id FROM xy_list_entries WHERE status = 'repaired' AND status_changed_on = '$as_of'" >"$work/repaired"
timed changed "${run[@]}"
changed_wall=$wall changed_rss=$rss
changed_rel=$(readlink -f "$data/current")

# The changed night's files that are not the night before's: a file linked from an earlier release has
# more than one link (--keep keeps them), a file written anew has one.
files=$(find "$changed_rel" -type f | wc -l)
find "$changed_rel" -type f -links 1 -printf '%P\n' >"$work/new-files"
new=$(wc -l <"$work/new-files")

say "results ($entries entries, data on $(df --output=fstype "$work" | tail -1))"
for r in full same changed; do
	rel=$(eval echo "\$${r}_rel")
	"$work/manifest" "$rel" | tail -n +2 | sed "s/^/$r /"
done | awk '{ t[$2] = t[$2] sprintf(" %9.2f", $3); if (!seen[$2]++) order[++n] = $2 }
	END { printf "%-10s %9s %9s %9s\n", "step", "full", "same", "changed"; for (i = 1; i <= n; i++) printf "%-10s%s\n", order[i], t[order[i]] }'
printf '%-22s %10s %12s\n' run "wall s" "peak RSS MB"
printf '%-22s %10.2f %12d\n' full "$full_wall" "$full_rss" same "$same_wall" "$same_rss" changed "$changed_wall" "$changed_rss"
printf 'changed / same: %.2f (target ≤ 2.5)\n' "$(echo "$changed_wall / $same_wall" | bc -l)"
printf 'changed / full: %.2f (target ≤ 0.25)\n' "$(echo "$changed_wall / $full_wall" | bc -l)"
printf 'files of the changed night not the night before'"'"'s: %d of %d (%.1f%%, target ≤ 5%%)\n' "$new" "$files" "$(echo "100 * $new / $files" | bc -l)"
echo "new files by top-level directory:"
sed 's#/.*##' "$work/new-files" | sort | uniq -c | sort -rn | head -12

say "the repaired entries are gone"
# One pass over the pages and one over the downloads for all repaired ids (a grep per id reads the site
# 165 times).
gone=$(wc -l <"$work/repaired") left=0
while read -r id; do
	for p in "site/red/$id" "site/black/$id" "content/red/$id.md" "content/black/$id.md"; do
		if [ -e "$changed_rel/$p" ]; then
			echo "repaired $id still at $p" >&2
			left=$((left + 1))
		fi
	done
done <"$work/repaired"
sed 's#.*#/&/#' "$work/repaired" >"$work/repaired-links"
grep -rshoFf "$work/repaired-links" "$changed_rel/site/subjects" "$changed_rel/site/red" "$changed_rel/site/black" \
	"$changed_rel/site/list_names" "$changed_rel/site/departments" "$changed_rel/site/districts" \
	"$changed_rel/site/index.xml" "$changed_rel/site/sitemap"*.xml | sort -u >"$work/still-linked" || true
grep -shoFf "$work/repaired" "$changed_rel/site/data/red.csv" "$changed_rel/site/data/black.csv" \
	"$changed_rel/site/data/red.jsonl" "$changed_rel/site/data/black.jsonl" | sort -u >"$work/still-downloaded" || true
sed 's/^/repaired entry still linked from a page: /' "$work/still-linked" >&2
sed 's/^/repaired entry still in the downloads: /' "$work/still-downloaded" >&2
left=$((left + $(wc -l <"$work/still-linked") + $(wc -l <"$work/still-downloaded")))
echo "repaired entries checked: $gone; still shown somewhere: $left"
[ "$gone" -gt 0 ] && [ "$left" = 0 ]
