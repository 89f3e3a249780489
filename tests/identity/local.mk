## chatrest-identity: CGI-level tests of every reference vector.
identity_tests = \
	tests/identity/identity-t.sh
TESTS += $(identity_tests)
EXTRA_DIST += $(identity_tests)
