-- Appended to each scenario's wrk script: one machine-readable line.
-- req/s, p50 and p99 in ms, socket errors, replies of 400 and over.
done = function(summary, latency, requests)
	local e = summary.errors
	io.write(string.format("BENCH %.1f %.3f %.3f %d %d %d\n",
	    summary.requests / (summary.duration / 1e6),
	    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
	    e.connect + e.read + e.write + e.timeout, e.status,
	    summary.requests))
end
