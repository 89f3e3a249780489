## chatrest-admin: CGI-level tests of the three encodings, and e2e.
admin_tests = \
	tests/admin/admin-t.sh \
	tests/admin/client-cmds-t.sh \
	tests/admin/identity-cmds-t.sh \
	tests/admin/man-t.sh \
	tests/admin/e2e-t.sh \
	tests/admin/extra-cmds-t.sh \
	tests/admin/mongoose-t.sh \
	tests/admin/mongoose-e2e-t.sh
TESTS += $(admin_tests)
EXTRA_DIST += $(admin_tests) \
	tests/admin/mongoose-lighttpd.conf \
	tests/admin/mongoose-apache-fcgid.conf \
	tests/admin/mongoose-apache-cgi.conf
