#!/bin/sh
# chatrest-admin(8) documents every command of the table (as "help" lists
# them), each with its arguments, and an example in each encoding: the
# shell, mod_restful_admin and mod_http_api (help, migrate and status:
# the shell).
. "$top_srcdir/tests/lib.sh"

ADM=$top_builddir/cgi-bin/chatrest-admin
MAN=$top_srcdir/man/chatrest-admin.8

# entry CMD: the lines of CMD's .It entry, up to the next command's.
entry() {
	awk -v c="$1" '
	    /^\.It Cm / && depth == 0 { on = ($3 == c) }
	    on && /^\.Bl/ { depth++ }
	    on && /^\.El/ { if (depth-- == 0) on = 0 }
	    on { print }' "$MAN"
}

# has TEXT RE: a line of TEXT matches RE.
has() {
	printf '%s\n' "$1" | grep -q "$2"
}

RC=0
"$ADM" help >"$TEST_TMP/help" 2>&1 || RC=$?
is "$RC" 0 'help runs'
cmds=$(sed -n 's/^  \([a-z0-9_]*\) .*/\1/p' "$TEST_TMP/help")
is "$(printf '%s\n' "$cmds" | wc -l | tr -d ' ')" \
    "$(grep -c '^\.It Cm [a-z_]' "$MAN")" 'one entry per command, no more'

for c in $cmds; do
	e=$(entry "$c")
	if [ -z "$e" ]; then
		_tap_result 1 "$c: documented" || :
		continue
	fi
	# the synopsis line names the arguments in the table's order
	want=$("$ADM" help "$c" | head -n 1 | sed 's/^usage: chatrest-admin //')
	got=$(printf '%s\n' "$e" | head -n 1 | sed -e 's/^\.It Cm //' \
	    -e 's/Op Ar \([a-z_]*\)/[\1]/g' -e 's/Ar //g')
	is "$got" "$want" "$c: arguments as in the table"
	case $c in help|migrate|status) continue ;; esac
	ok "$c: a shell example" has "$e" "^\\\$ chatrest-admin $c\\( \\|\$\\)"
	ok "$c: a mod_restful_admin example" has "$e" "^POST /api/admin\$"
	ok "$c: ... with its positional args" has "$e" "\"command\":\"$c\""
	ok "$c: a mod_http_api example" has "$e" \
	    "^\\(POST\\|GET\\) /api/admin/$c\\( \\|?\\|\$\\)"
done
done_testing
