## Hardening: guessing limits, retry-safe writes, races, bad input, faults.
hardening_tests = \
	tests/hardening/throttle-t.sh \
	tests/hardening/idem-t.sh \
	tests/hardening/race-t.sh \
	tests/hardening/corpus-t.sh \
	tests/hardening/fault-t.sh
TESTS += $(hardening_tests)
EXTRA_DIST += $(hardening_tests) tests/hardening/corpus.py \
	tests/hardening/fault.py tests/hardening/fcgiclient.py
