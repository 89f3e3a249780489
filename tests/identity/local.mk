## chatrest-identity: CGI-level tests of every reference vector.
identity_tests = \
	tests/identity/identity-t.sh \
	tests/identity/e2e-t.sh \
	tests/identity/synapse-t.sh
TESTS += $(identity_tests)
EXTRA_DIST += $(identity_tests)
