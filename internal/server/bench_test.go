package server

// benchChildEnv, when set, makes the test binary the benchmark's client (see BenchmarkServe).
const benchChildEnv = "XINYONG_SERVE_BENCH_CLIENT"

func benchChild() {}
