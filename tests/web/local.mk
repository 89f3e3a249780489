## chatrest-web: JWT and BareRTC wire-format unit tests, CGI and e2e tests.
web_unit_tests = \
	tests/unit/jwt-t
check_PROGRAMS += $(web_unit_tests)
TESTS += $(web_unit_tests)
