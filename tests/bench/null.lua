-- null.lua -- wrk: a 200-byte form POST, the same size as a rating's, to
-- the null handler of tests/bench/nullserver.c.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "nonce=0000000000000000000000&level=5&comment=" ..
    string.rep("x", 200 - 45)

-- One JSON line on stdout for tests/bench/bench.py.
function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format(
	    '{"requests":%d,"duration_us":%d,"non2xx":%d,"socket_errors":%d,' ..
	    '"p50_us":%d,"p99_us":%d}\n', summary.requests, summary.duration,
	    e.status, e.connect + e.read + e.write + e.timeout,
	    latency:percentile(50), latency:percentile(99)))
end
