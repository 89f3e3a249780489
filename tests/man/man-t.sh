#!/bin/sh
# The manual pages: lint-clean under mandoc, and one page plus a row in
# chatrest(7)'s front-door table and in the README for every executable.
. "$top_srcdir/tests/lib.sh"

man=$top_srcdir/man
exes=$(sed -n '/^cgibin_PROGRAMS/,/^$/p' "$top_srcdir/Makefile.am" |
    grep -o 'cgi-bin/chatrest-[a-z]*' | sed 's|cgi-bin/||')
[ -n "$exes" ] || bail_out 'no cgibin_PROGRAMS in Makefile.am'

if command -v mandoc >/dev/null 2>&1; then
	for f in "$man"/*.[578]; do
		out=$(mandoc -Tlint -W warning "$f" 2>&1)
		rc=$?
		is "$rc:$out" 0: "mandoc -Tlint -W warning ${f##*/}"
	done
else
	skip 'mandoc -Tlint' 'mandoc not installed'
fi

for e in $exes; do
	ok "$e(8) exists" test -f "$man/$e.8"
	ok "chatrest(7) has a front-door row for $e" \
	    grep -q "^\.It Xr $e 8 Ta" "$man/chatrest.7"
	ok "README has a front-door row for $e" \
	    grep -q "^| \`$e\` |" "$top_srcdir/README.md"
done
for p in chatrest.7 chatrest.conf.5; do
	ok "$p exists" test -f "$man/$p"
done

done_testing
