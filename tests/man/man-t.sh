#!/bin/sh
# The manual pages: lint-clean under mandoc, tables that groff renders as
# mandoc does, and one page plus a row in
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

# groff (Debian's man) does not wrap a -column cell the way mandoc does:
# a cell wider than its column runs into the next one.
if command -v groff >/dev/null 2>&1; then
	# the words of a rendering, hyphens and quotes aside
	words() {
		col -b | sed '1d;$d' |
		    sed -e :a -e '/[A-Za-z]-$/{N;s/-\n[ \t]*//;ta' -e '}' |
		    tr -d "-'\`\"" | tr -s ' \t' '\n\n' |
		    sed -e 's/[.,;:()]*$//' -e 's/^(*//' -e '/^$/d' | sort
	}
	for f in "$man"/*.[578]; do
		# (long JSON literals cannot break: not an error)
		out=$(groff -mandoc -Tutf8 -Wbreak -z "$f" 2>&1)
		is "$out" '' "groff renders ${f##*/} without errors"
		if command -v mandoc >/dev/null 2>&1; then
			mandoc -Tascii "$f" | words >"$TEST_TMP/mandoc.words"
			groff -mandoc -Tascii "$f" 2>/dev/null | words \
			    >"$TEST_TMP/groff.words"
			out=$(diff "$TEST_TMP/mandoc.words" "$TEST_TMP/groff.words")
			is "$out" '' "${f##*/}: groff and mandoc render the same words"
		fi
	done
	out=$(python3 "$top_srcdir/tests/man/columns.py" "$man"/*.[578])
	is "$out" '' 'every -column cell fits its column (groff)'
else
	skip 'groff renderings' 'groff not installed (groff-base)'
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
