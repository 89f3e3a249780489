## chatrest-client: CGI-level tests against a private PostgreSQL.
client_tests = \
	tests/client/messages-t.sh \
	tests/client/rooms-t.sh \
	tests/client/contacts-t.sh \
	tests/client/retry-t.sh \
	tests/client/e2e-t.sh \
	tests/client/fcgi-t.sh \
	tests/client/close-t.sh \
	tests/client/front-t.sh
TESTS += $(client_tests)
EXTRA_DIST += $(client_tests) tests/client/common.sh
EXTRA_DIST += tests/bench/client-bench.sh tests/bench/README.md
