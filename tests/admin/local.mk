## chatrest-admin: CGI-level tests of the three encodings, and e2e.
admin_tests = \
	tests/admin/admin-t.sh \
	tests/admin/client-cmds-t.sh \
	tests/admin/identity-cmds-t.sh \
	tests/admin/man-t.sh \
	tests/admin/e2e-t.sh \
	tests/admin/extra-cmds-t.sh \
	tests/admin/mongoose-t.sh \
	tests/admin/mongoose-e2e-t.sh \
	tests/admin/archive-t.sh
TESTS += $(admin_tests)
EXTRA_DIST += $(admin_tests)

## The differential harness against a real ejabberd 23.01 (not make check):
## "make compat" prints a side-by-side diff and "N same, N different".
compat: all
	$(AM_V_at)top_srcdir=$(abs_top_srcdir) top_builddir=$(abs_top_builddir) \
	    $(SHELL) $(abs_top_srcdir)/tests/pgrun.sh $(SHELL) \
	    $(abs_top_srcdir)/tests/compat/compat.sh
.PHONY: compat
EXTRA_DIST += tests/compat/compat.sh tests/compat/requests.txt \
	tests/compat/ejabberd.yml.in tests/compat/README.md
EXTRA_DIST += \
	tests/admin/mongoose-lighttpd.conf \
	tests/admin/mongoose-apache-fcgid.conf \
	tests/admin/mongoose-apache-cgi.conf
