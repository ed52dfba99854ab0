# bench/lib.sh: what the benchmark scripts share. Source it after setting $work (the work directory).

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
