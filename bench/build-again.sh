#!/usr/bin/env bash
# bench/build-again.sh WORK [BIN]: the build step of the current release of WORK (see bench/night-again.sh)
# again, on its own, reusing the release before it as a publication does; prints wall, peak RSS, user and
# system CPU, and the Hugo and record-renderer parts. Its output goes to WORK/bout (remove it after).
set -euo pipefail
work=$1 bin=${2:-$work/xinyong}
rels=($(ls -d $work/data/releases/2* | sort | tail -2))
P=${rels[0]} R=${rels[1]}
fp=$(python3 -c "import json;print(json.load(open('$P/release.json'))['records_fingerprint'])")
# The case pages are kept too when P was published by a binary that writes cases_key (issue 13, helper 4).
ck=$(python3 -c "import json;print(json.load(open('$P/release.json')).get('cases_key',''))")
cases=(); [ -n "$ck" ] && cases=(--reuse-cases-key "$ck")
rm -rf $work/bout $work/brows $work/bstore; cp $work/data/records.rowstore $work/bstore.prev 2>/dev/null || true
/usr/bin/time -f "%e s %M KB %U u %S s" $bin build --content $R/content --out $work/bout --precompress --content-sums $R/content.sums \
  --reuse-content $P/content --reuse-site $P/site --reuse-fingerprint $fp --reuse-rows $P/records.rows \
  --reuse-row-store $work/bstore.prev --rows $work/brows --row-store $work/bstore --json "${cases[@]}" 2>&1 >$work/bout.json | tail -${TAIL:-3}
python3 -c "import json;d=json.load(open('$work/bout.json'));print({k:v for k,v in d.items() if k in ('Duration','Hugo','RecordsTime')})"
