## Shell tests: TAP, each run by tests/pgrun.sh with its own PostgreSQL.
shell_tests = \
	tests/cgi/register-t.sh \
	tests/fcgi/fcgi-t.sh \
	tests/e2e/lighttpd-t.sh \
	tests/e2e/apache-fcgid-t.sh \
	tests/e2e/apache-cgi-t.sh \
	tests/e2e/apache-proxy-fcgi-t.sh \
	tests/man/man-t.sh
TESTS += $(shell_tests)

## A FastCGI/CGI responder that echoes its environment: the e2e tests mount
## it with the same snippets to see what the web server passes on.
check_PROGRAMS += tests/e2e/fcgi-echo
tests_e2e_fcgi_echo_LDADD = lib/libchatrest.a $(FCGI_LIBS) $(LIBCRYPTO_LIBS)

## Build-tree variants of the apache/ snippets, which the e2e tests include.
test_confs = \
	tests/conf/lighttpd.conf \
	tests/conf/apache-fcgid.conf \
	tests/conf/apache-cgi.conf \
	tests/conf/apache-events.conf \
	tests/conf/lighttpd-mongoose.conf \
	tests/conf/apache-mongoose.conf \
	tests/conf/lighttpd-tls.conf \
	tests/conf/apache-fcgid-tls.conf \
	tests/conf/apache-proxy-fcgi.conf
test_subst = $(SED) \
	-e 's|@cgibindir[@]|$(abs_top_builddir)/cgi-bin|g' \
	-e 's|@confdir[@]|$(abs_top_builddir)/tests/conf|g' \
	-e 's|@pkgdatadir[@]|$(abs_top_builddir)/tests/conf|g' \
	-e 's|@apachedir[@]|$(abs_top_builddir)/tests/conf|g'
tests/conf/lighttpd.conf: $(srcdir)/apache/lighttpd.conf.in Makefile
	$(AM_V_GEN)$(MKDIR_P) tests/conf && \
	$(test_subst) $(srcdir)/apache/lighttpd.conf.in > $@
tests/conf/apache-fcgid.conf: $(srcdir)/apache/apache-fcgid.conf.in Makefile
	$(AM_V_GEN)$(MKDIR_P) tests/conf && \
	$(test_subst) $(srcdir)/apache/apache-fcgid.conf.in > $@
tests/conf/apache-cgi.conf: $(srcdir)/apache/apache-cgi.conf.in Makefile
	$(AM_V_GEN)$(MKDIR_P) tests/conf && \
	$(test_subst) $(srcdir)/apache/apache-cgi.conf.in > $@
tests/conf/apache-events.conf: $(srcdir)/apache/apache-events.conf.in Makefile
	$(AM_V_GEN)$(MKDIR_P) tests/conf && \
	$(test_subst) $(srcdir)/apache/apache-events.conf.in > $@
tests/conf/lighttpd-mongoose.conf: $(srcdir)/apache/lighttpd-mongoose.conf.in Makefile
	$(AM_V_GEN)$(MKDIR_P) tests/conf && \
	$(test_subst) $(srcdir)/apache/lighttpd-mongoose.conf.in > $@
tests/conf/apache-mongoose.conf: $(srcdir)/apache/apache-mongoose.conf.in Makefile
	$(AM_V_GEN)$(MKDIR_P) tests/conf && \
	$(test_subst) $(srcdir)/apache/apache-mongoose.conf.in > $@
tests/conf/lighttpd-tls.conf: $(srcdir)/apache/lighttpd-tls.conf.in Makefile
	$(AM_V_GEN)$(MKDIR_P) tests/conf && \
	$(test_subst) $(srcdir)/apache/lighttpd-tls.conf.in > $@
tests/conf/apache-proxy-fcgi.conf: $(srcdir)/apache/apache-proxy-fcgi.conf.in Makefile
	$(AM_V_GEN)$(MKDIR_P) tests/conf && \
	$(test_subst) $(srcdir)/apache/apache-proxy-fcgi.conf.in > $@
tests/conf/apache-fcgid-tls.conf: $(srcdir)/apache/apache-fcgid-tls.conf.in Makefile
	$(AM_V_GEN)$(MKDIR_P) tests/conf && \
	$(test_subst) $(srcdir)/apache/apache-fcgid-tls.conf.in > $@
check_DATA = $(test_confs)
# the 413 answers the build-tree snippets serve (@pkgdatadir@/apache/errors)
check_DATA += tests/conf/apache/errors/stamp
tests/conf/apache/errors/stamp: $(dist_apacheerrors_DATA)
	$(AM_V_GEN)$(MKDIR_P) tests/conf/apache/errors && \
	for f in $(dist_apacheerrors_DATA); do \
		cp $(srcdir)/$$f tests/conf/apache/errors/ || exit 1; \
	done && touch $@
CLEANFILES += $(test_confs)
clean-local: clean-test-errors
clean-test-errors:
	rm -rf tests/conf/apache/errors
.PHONY: clean-test-errors

EXTRA_DIST += $(shell_tests) \
	tests/pgrun.sh tests/lib.sh tests/e2e/common.sh \
	tests/e2e/lighttpd.conf tests/e2e/apache-fcgid.conf \
	tests/e2e/apache-cgi.conf tests/man/columns.py \
	tests/e2e/apache-proxy-fcgi.conf \
	scripts/deps.sh
