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
