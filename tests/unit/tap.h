/* tap: a minimal Test Anything Protocol producer for the C unit tests. */
#ifndef TAP_H
#define TAP_H

#include <stdio.h>
#include <string.h>

static int	tap_n, tap_failed;

static inline int
tap_ok(int cond, const char *name, const char *file, int line)
{
	printf("%sok %d - %s\n", cond ? "" : "not ", ++tap_n, name);
	if (!cond) {
		printf("#   failed at %s:%d\n", file, line);
		tap_failed++;
	}
	return cond;
}

#define ok(c, name)	tap_ok((c) != 0, (name), __FILE__, __LINE__)
#define is_int(a, b, name) do {						\
	long tap_a = (long)(a), tap_b = (long)(b);			\
	if (!ok(tap_a == tap_b, name))					\
		printf("#   got %ld, want %ld\n", tap_a, tap_b);	\
} while (0)
#define is_str(a, b, name) do {						\
	const char *tap_a = (a), *tap_b = (b);				\
	if (!ok(tap_a != NULL && tap_b != NULL &&			\
	    strcmp(tap_a, tap_b) == 0, name))				\
		printf("#   got \"%s\", want \"%s\"\n",			\
		    tap_a ? tap_a : "(null)", tap_b ? tap_b : "(null)");\
} while (0)

static inline int
done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
