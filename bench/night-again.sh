#!/usr/bin/env bash
# bench/night-again.sh WORK K [BIN]: another busy night on a work directory bench/night.sh kept (KEEP=1) or
# bench/copy-night.sh made: applies a busy night's changes to WORK/exchange.db (1% of the public entries
# corrected, 0.2% repaired, 0.2% new; residue K picks which, so that each K changes other rows), then times
# `xinyong run` (BIN, default WORK/xinyong) and prints its steps (release.json). It keeps KEEP_RELEASES
# releases (default 3: tmpfs has ~3.1 million inodes, a kept night takes ~0.8 million and each release
# ~0.3 million); LOGLEVEL sets --log-level, WRAP a command to run it under (WRAP="strace -c -f -o F").
set -euo pipefail
work=$1 k=$2 bin=${3:-$work/xinyong}
as_of=2026-06-15
public="status = 'active' AND public = 1 AND valid_from <= '$as_of' AND (valid_to IS NULL OR valid_to >= '$as_of')"
sqlite3 "$work/exchange.db" <<SQL
CREATE TEMP TABLE pub AS SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS n FROM xy_list_entries WHERE $public AND id LIKE 'E%';
UPDATE xy_list_entries SET reason = reason || '（更正$k）', updated_at = '${as_of}T20:00:00+08:00'
  WHERE id IN (SELECT id FROM pub WHERE n % 100 = $k);
UPDATE xy_list_entries SET status = 'repaired', status_changed_on = '$as_of', updated_at = '${as_of}T20:00:00+08:00'
  WHERE id IN (SELECT id FROM pub WHERE n % 500 = $((k+100)));
INSERT INTO xy_list_entries (id, list, list_name, subject_id, reason, basis, decision_no, measures, department,
    severity, decided_on, valid_from, valid_to, public, status, status_changed_on, updated_at)
  SELECT 'K$k' || substr(id, 2), list, list_name, subject_id, reason, basis, decision_no, measures, department,
    severity, date('$as_of', '-3 days'), '$as_of', valid_to, 1, 'active', NULL, '${as_of}T21:00:00+08:00'
  FROM xy_list_entries WHERE id IN (SELECT id FROM pub WHERE n % 500 = $((k+200)));
SQL
s=$(date +%s.%N)
${WRAP:-} /usr/bin/time -f "%e s %M KB %U user %S sys" "$bin" run --db "$work/exchange.db" --data "$work/data" --as-of $as_of --log-format text --log-level ${LOGLEVEL:-info} --keep ${KEEP_RELEASES:-3} >/dev/null 2>$work/busy$k.log
e=$(date +%s.%N)
tail -1 $work/busy$k.log
"$work/manifest" "$(readlink -f $work/data/current)" | tail -n +2 | tr '\n' ' '; echo
echo "wall $(echo "$e - $s" | bc)"
