# bench/lib.sh: what the benchmark scripts share. Source it from the repository's root, then call setup NAME.

say() { printf '\n==> %s\n' "$*" >&2; }

# timed NAME CMD...: runs CMD under /usr/bin/time -v with its stdout in NAME.out and its stderr (the
# text logs) in NAME.log; sets $wall (seconds) and $rss (peak resident set, MB).
timed() {
	local name=$1
	shift
	local start end
	start=$(date +%s.%N)
	/usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.log" || {
		cat "$work/$name.log" >&2
		return 1
	}
	end=$(date +%s.%N)
	wall=$(echo "$end - $start" | bc)
	rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/$name.time")
}

# setup NAME: the settings every script reads (ENTRIES, default 100,000; AS_OF, default 2026-06-15), a work
# directory under ${TMPDIR:-/tmp} (removed at exit unless KEEP=1), and xinyong and the manifest reader built
# into it; sets $entries, $as_of, $work, $bin, $db and $data.
setup() {
	entries=${ENTRIES:-100000}
	as_of=${AS_OF:-2026-06-15}
	work=$(mktemp -d "${TMPDIR:-/tmp}/xinyong-$1.XXXXXX")
	if [ "${KEEP:-}" != 1 ]; then
		trap 'rm -rf "$work"' EXIT
	fi
	bin=$work/xinyong db=$work/exchange.db data=$work/data
	say "building xinyong and the manifest reader"
	go build -o "$bin" ./cmd/xinyong
	go build -o "$work/manifest" ./bench/manifest
}

# busy_night DB AS_OF: changes the demo database DB as the departments would on a busy night: of the
# entries public on AS_OF (in a fixed order, so that every run changes the same rows), 1% get a corrected
# reason, 0.2% are repaired (信用修复), 0.2% are listed anew under a new id, valid from AS_OF.
busy_night() {
	local db=$1 as_of=$2
	local public="status = 'active' AND public = 1 AND valid_from <= '$as_of' AND (valid_to IS NULL OR valid_to >= '$as_of')"
	sqlite3 "$db" <<SQL
CREATE TEMP TABLE pub AS SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS n FROM xy_list_entries WHERE $public;
UPDATE xy_list_entries SET reason = reason || '（更正）', updated_at = '${as_of}T20:00:00+08:00'
  WHERE id IN (SELECT id FROM pub WHERE n % 100 = 7);
UPDATE xy_list_entries SET status = 'repaired', status_changed_on = '$as_of', updated_at = '${as_of}T20:00:00+08:00'
  WHERE id IN (SELECT id FROM pub WHERE n % 500 = 11);
INSERT INTO xy_list_entries (id, list, list_name, subject_id, reason, basis, decision_no, measures, department,
    severity, decided_on, valid_from, valid_to, public, status, status_changed_on, updated_at)
  SELECT 'N' || substr(id, 2), list, list_name, subject_id, reason, basis, decision_no, measures, department,
    severity, date('$as_of', '-3 days'), '$as_of', valid_to, 1, 'active', NULL, '${as_of}T21:00:00+08:00'
  FROM xy_list_entries WHERE id IN (SELECT id FROM pub WHERE n % 500 = 13);
SQL
}
