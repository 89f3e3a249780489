## Operations: command-line help and status, logs, packaging, TLS.
ops_tests = \
	tests/ops/cli-t.sh \
	tests/ops/tls-t.sh \
	tests/ops/fail2ban-t.sh \
	tests/ops/readme-t.sh \
	tests/ops/openapi-t.sh
TESTS += $(ops_tests)
EXTRA_DIST += $(ops_tests) tests/ops/openapi.py tests/ops/doctest.py tests/ops/reset.sql \
	tests/ops/lighttpd-tls.conf \
	tests/ops/apache-tls.conf
## the linter tests/ops/openapi-t.sh installs from npm into the build tree
EXTRA_DIST += tests/ops/redocly.yaml
clean-local: clean-openapi-npm
clean-openapi-npm:
	rm -rf tests/ops/npm
.PHONY: clean-openapi-npm
