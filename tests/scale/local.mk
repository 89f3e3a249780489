## Scale-out: the notification path, PgBouncer, replicas, failover, fronts.
scale_tests = \
	tests/scale/listen-t.sh
TESTS += $(scale_tests)
check_PROGRAMS += tests/scale/listen-probe
EXTRA_DIST += $(scale_tests)
