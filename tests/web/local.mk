## chatrest-web: JWT and BareRTC wire-format unit tests, CGI and e2e tests.
web_unit_tests = \
	tests/unit/jwt-t \
	tests/unit/barertc-t
check_PROGRAMS += $(web_unit_tests)
TESTS += $(web_unit_tests)
web_shell_tests = \
	tests/web/web-t.sh \
	tests/web/admin-blocklist-t.sh \
	tests/web/filter-t.sh \
	tests/web/users-t.sh \
	tests/web/restart-fcgi-t.sh \
	tests/web/restart-lighttpd-t.sh \
	tests/web/restart-apache-fcgid-t.sh
TESTS += $(web_shell_tests)
EXTRA_DIST += $(web_shell_tests) tests/web/common.sh \
	tests/web/restart.sh tests/web/jwtcheck.py tests/web/hook.py
