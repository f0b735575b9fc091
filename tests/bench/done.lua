-- done.lua -- what every wrk script of tests/bench prints at the end: one
-- JSON line on stdout for tests/bench/bench.py.  Loaded by the scripts
-- from their own directory.
function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format(
	    '{"requests":%d,"duration_us":%d,"non2xx":%d,"socket_errors":%d,' ..
	    '"p50_us":%d,"p99_us":%d}\n', summary.requests, summary.duration,
	    e.status, e.connect + e.read + e.write + e.timeout,
	    latency:percentile(50), latency:percentile(99)))
end
