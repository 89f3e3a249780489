## chatrest-events: GET /api/sse end to end under lighttpd and Apache.
events_tests = \
	tests/events/e2e-t.sh
TESTS += $(events_tests)
EXTRA_DIST += $(events_tests) tests/events/common.sh tests/events/apache.conf \
	tests/events/stall.py
