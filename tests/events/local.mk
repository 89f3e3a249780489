## chatrest-events: GET /api/sse end to end under lighttpd and Apache.
events_tests = \
	tests/events/e2e-t.sh \
	tests/events/fanout-t.sh
TESTS += $(events_tests)
EXTRA_DIST += $(events_tests) tests/events/common.sh tests/events/apache.conf \
	tests/events/stall.py

## The live-event benchmark client: built with the tests, run by hand
## (tests/bench/sse-bench.sh; not part of make check).
check_PROGRAMS += tests/bench/sse-bench
tests_bench_sse_bench_LDADD =
EXTRA_DIST += tests/bench/sse-bench.sh
