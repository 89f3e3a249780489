## The benchmark (make bench, tests/bench/run): not part of make check.
## Its baselines are built with the tests, so that they keep compiling.
bench_programs = \
	tests/bench/bench-hello \
	tests/bench/bench-select \
	tests/bench/bench-insert \
	tests/bench/bench-scrypt
check_PROGRAMS += $(bench_programs)
tests_bench_bench_hello_SOURCES = tests/bench/hello.c
tests_bench_bench_hello_LDADD = lib/libchatrest.a $(FCGI_LIBS) $(LIBCRYPTO_LIBS)
tests_bench_bench_select_SOURCES = tests/bench/ceiling.c
tests_bench_bench_insert_SOURCES = tests/bench/ceiling.c
tests_bench_bench_insert_CPPFLAGS = $(AM_CPPFLAGS) -DCEILING_INSERT
tests_bench_bench_scrypt_SOURCES = tests/bench/scrypt-time.c

# BENCH_FLAGS: options of tests/bench/run, e.g. BENCH_FLAGS=--quick
bench: all $(bench_programs) tests/bench/sse-bench $(test_confs)
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	    $(SHELL) $(srcdir)/tests/bench/run $(BENCH_FLAGS)
.PHONY: bench

EXTRA_DIST += tests/bench/run tests/bench/README.md tests/bench/seed.sql tests/bench/deep.sql \
	tests/bench/report.lua tests/bench/profile tests/bench/lighttpd.conf \
	tests/bench/apache-fcgid.conf tests/bench/apache-cgi.conf \
	tests/bench/apache-proxy-fcgi.conf \
	tests/bench/ejabberd.yml.in
bench-programs: $(bench_programs) tests/bench/sse-bench
.PHONY: bench-programs

# What each executable's FastCGI process holds in memory after load.
bench-memory: all $(test_confs)
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	    $(SHELL) $(srcdir)/tests/bench/memory
.PHONY: bench-memory
EXTRA_DIST += tests/bench/memory
