-- wrk -s benchmarks/post_json.lua: POST the JSON in BENCH_BODY (headers come from wrk -H).
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
