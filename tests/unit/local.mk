## C unit tests of lib/ modules (TAP via tests/tap.h).
unit_tests = \
	tests/unit/base64-t \
	tests/unit/hmac-t \
	tests/unit/config-t \
	tests/unit/jid-t \
	tests/unit/jsonio-t \
	tests/unit/log-t \
	tests/unit/request-t \
	tests/unit/router-t \
	tests/unit/auth-t \
	tests/unit/password-t \
	tests/unit/util-t \
	tests/unit/fastcgi-t
check_PROGRAMS += $(unit_tests)
TESTS += $(unit_tests)
EXTRA_DIST += tests/unit/tap.h
