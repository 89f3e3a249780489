## libFuzzer targets (clang): `make fuzz` runs each for FUZZ_SECONDS over
## its seed corpus and dictionary; `make check` runs each briefly
## (tests/fuzz/fuzz-t.sh) and replays every input in tests/fuzz/regress/.
## The lib/ sources are compiled again with clang's instrumentation.
FUZZ_NAMES = basic config jid json jwt request router
FUZZ_BINS = \
	tests/fuzz/fuzz-basic tests/fuzz/fuzz-config tests/fuzz/fuzz-jid \
	tests/fuzz/fuzz-json tests/fuzz/fuzz-jwt tests/fuzz/fuzz-request \
	tests/fuzz/fuzz-router
FUZZ_SECONDS = 30
FUZZ_CFLAGS = -g -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_LIBS = $(JSONC_LIBS) $(LIBPQ_LIBS) $(FCGI_LIBS) $(LIBCRYPTO_LIBS) $(LIBS)
EXTRA_DIST += tests/fuzz/fuzz.h tests/fuzz/fuzz-t.sh tests/fuzz/corpus \
	tests/fuzz/regress tests/fuzz/dict \
	tests/fuzz/fuzz-basic.c tests/fuzz/fuzz-config.c tests/fuzz/fuzz-jid.c \
	tests/fuzz/fuzz-json.c tests/fuzz/fuzz-jwt.c tests/fuzz/fuzz-request.c \
	tests/fuzz/fuzz-router.c
TESTS += tests/fuzz/fuzz-t.sh
CLEANFILES += $(FUZZ_BINS) tests/fuzz/libfuzz.a
clean-local: clean-fuzz
clean-fuzz:
	-rm -rf tests/fuzz/obj

if HAVE_FUZZ
check_DATA += $(FUZZ_BINS)

tests/fuzz/libfuzz.a: $(lib_libchatrest_a_SOURCES)
	$(AM_V_GEN)$(MKDIR_P) tests/fuzz/obj && rm -f $@ && \
	for f in $(lib_libchatrest_a_SOURCES); do \
	    case $$f in *.c) ;; *) continue ;; esac; \
	    $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(DEFS) \
	    $(AM_CPPFLAGS) $(CPPFLAGS) -c $(srcdir)/$$f \
	    -o tests/fuzz/obj/`basename $$f .c`.o || exit 1; \
	done && $(AR) cr $@ tests/fuzz/obj/*.o

FUZZ_LINK = $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(DEFS) $(AM_CPPFLAGS) \
	$(CPPFLAGS) -o $@ $(srcdir)/$@.c tests/fuzz/libfuzz.a $(FUZZ_LIBS)
tests/fuzz/fuzz-basic: tests/fuzz/fuzz-basic.c tests/fuzz/fuzz.h tests/fuzz/libfuzz.a
	$(AM_V_GEN)$(FUZZ_LINK)
tests/fuzz/fuzz-config: tests/fuzz/fuzz-config.c tests/fuzz/fuzz.h tests/fuzz/libfuzz.a
	$(AM_V_GEN)$(FUZZ_LINK)
tests/fuzz/fuzz-jid: tests/fuzz/fuzz-jid.c tests/fuzz/fuzz.h tests/fuzz/libfuzz.a
	$(AM_V_GEN)$(FUZZ_LINK)
tests/fuzz/fuzz-json: tests/fuzz/fuzz-json.c tests/fuzz/fuzz.h tests/fuzz/libfuzz.a
	$(AM_V_GEN)$(FUZZ_LINK)
tests/fuzz/fuzz-jwt: tests/fuzz/fuzz-jwt.c tests/fuzz/fuzz.h tests/fuzz/libfuzz.a
	$(AM_V_GEN)$(FUZZ_LINK)
tests/fuzz/fuzz-request: tests/fuzz/fuzz-request.c tests/fuzz/fuzz.h tests/fuzz/libfuzz.a
	$(AM_V_GEN)$(FUZZ_LINK)
tests/fuzz/fuzz-router: tests/fuzz/fuzz-router.c tests/fuzz/fuzz.h tests/fuzz/libfuzz.a
	$(AM_V_GEN)$(FUZZ_LINK)

fuzz: $(FUZZ_BINS)
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=1 top_srcdir='$(abs_top_srcdir)' \
	    top_builddir='$(abs_top_builddir)' $(SHELL) $(srcdir)/tests/fuzz/fuzz-t.sh
else
fuzz:
	@echo "make fuzz needs clang with libFuzzer (apt-get install clang libclang-rt-14-dev)" >&2; exit 1
endif
.PHONY: fuzz clean-fuzz
