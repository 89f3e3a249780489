## Scale-out: the notification path, PgBouncer, replicas, failover, fronts.
scale_tests = \
	tests/scale/listen-t.sh \
	tests/scale/replica-t.sh \
	tests/scale/failover-t.sh \
	tests/scale/fronts-t.sh \
	tests/scale/idle-t.sh
TESTS += $(scale_tests)
check_PROGRAMS += tests/scale/listen-probe

## A second pass of FastCGI, restart and race tests through PgBouncer in
## transaction mode: each .pgb file sources one test, run by tests/pgrun.sh
## with CHATREST_TEST_PGBOUNCER=1.
TEST_EXTENSIONS += .pgb
PGB_LOG_DRIVER = $(LOG_DRIVER)
PGB_LOG_COMPILER = env CHATREST_TEST_PGBOUNCER=1 $(SHELL) \
	$(top_srcdir)/tests/pgrun.sh $(SHELL)
pgbouncer_tests = \
	tests/scale/pgbouncer/fcgi.pgb \
	tests/scale/pgbouncer/restart-fcgi.pgb \
	tests/scale/pgbouncer/client-fcgi.pgb \
	tests/scale/pgbouncer/client-e2e.pgb \
	tests/scale/pgbouncer/web-restart-lighttpd.pgb \
	tests/scale/pgbouncer/appname.pgb
TESTS += $(pgbouncer_tests)

EXTRA_DIST += $(scale_tests) $(pgbouncer_tests) tests/scale/replica.sh \
	tests/scale/fronts.sh

## The heavier matrix, not part of "make check": ten lighttpd fronts of 32
## processes through PgBouncer (pool of 20, max_connections = 100), and
## more tests through PgBouncer.  "make check-scale" runs them.
scale_heavy_tests = \
	tests/scale/pgbouncer/ten-fronts.pgb \
	tests/scale/pgbouncer/fronts.pgb \
	tests/scale/pgbouncer/admin-e2e.pgb \
	tests/scale/pgbouncer/identity-e2e.pgb \
	tests/scale/pgbouncer/e2e-lighttpd.pgb
EXTRA_DIST += $(scale_heavy_tests)
check-scale: all
	$(MAKE) $(AM_MAKEFLAGS) check TESTS='$(scale_heavy_tests)'
.PHONY: check-scale
