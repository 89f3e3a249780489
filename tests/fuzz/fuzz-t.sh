#!/bin/sh
# The libFuzzer targets: every input of tests/fuzz/regress/TARGET/ (the
# crashes found so far) replayed, then each target run for FUZZ_SECONDS
# (10 in make check, FUZZ_JOBS at a time; 30 in make fuzz, one at a time)
# from its seed corpus with its dictionary.  A crash fails the test and names the input to keep: copy it
# into tests/fuzz/regress/TARGET/ with the fix.
. "$top_srcdir/tests/lib.sh"

FUZZ_SECONDS=${FUZZ_SECONDS:-10}
FUZZ_JOBS=${FUZZ_JOBS:-4}
F=$top_builddir/tests/fuzz
S=$top_srcdir/tests/fuzz
[ -x "$F/fuzz-json" ] || skip_all 'no libFuzzer targets (clang with libclang-rt)'
TMP=${TEST_TMP:-$(mktemp -d)}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

fuzz_one() {	# TARGET: replay, then fuzz; 0 when nothing crashed
	_t=$1
	mkdir -p "$TMP/$_t.corpus" "$TMP/$_t.art"
	if [ -d "$S/regress/$_t" ] && [ -n "$(ls "$S/regress/$_t")" ]; then
		"$F/fuzz-$_t" "$S/regress/$_t"/* >"$TMP/$_t.replay" 2>&1 ||
		    return 1
	fi
	set -- -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=1024 \
	    -max_len=8192 -artifact_prefix="$TMP/$_t.art/" -print_final_stats=1
	[ ! -f "$S/dict/$_t.dict" ] || set -- "$@" -dict="$S/dict/$_t.dict"
	"$F/fuzz-$_t" "$@" "$TMP/$_t.corpus" "$S/corpus/$_t" \
	    >"$TMP/$_t.log" 2>&1
}

report() {	# TARGET STATUS
	if [ "$2" = 0 ]; then
		_runs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
		    "$TMP/$1.log")
		_tap_result 0 "fuzz-$1: no crash in ${FUZZ_SECONDS} s ($_runs runs)"
		return
	fi
	_tap_result 1 "fuzz-$1: crashed" || :
	cat "$TMP/$1.replay" "$TMP/$1.log" 2>/dev/null | tail -n 40 | sed 's/^/#   /'
	for _a in "$TMP/$1.art"/*; do
		[ -f "$_a" ] || continue
		diag "  input: $(od -An -c "$_a" | head -n 8)"
		diag "  keep it: cp '$_a' '$S/regress/$1/'"
	done
}

set -- basic config jid json jwt request router
plan $#
# FUZZ_JOBS at a time (4: a round takes FUZZ_SECONDS, two cores shared)
while [ $# -gt 0 ]; do
	batch= n=0
	while [ $# -gt 0 ] && [ $n -lt "$FUZZ_JOBS" ]; do
		fuzz_one "$1" &
		eval "pid_$1=\$!"
		batch="$batch $1" n=$((n + 1))
		shift
	done
	for t in $batch; do
		rc=0; eval "wait \$pid_$t" || rc=$?
		report "$t" $rc
	done
done
done_testing
