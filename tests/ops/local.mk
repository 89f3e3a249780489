## Operations: command-line help and status, logs, packaging, TLS.
ops_tests = \
	tests/ops/cli-t.sh
TESTS += $(ops_tests)
EXTRA_DIST += $(ops_tests)
