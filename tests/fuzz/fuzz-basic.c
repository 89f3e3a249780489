/* libFuzzer: HTTP Basic credentials (lib/http/auth.c auth_basic_parse). */
#include <assert.h>

#include "auth.h"
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	 user[AUTH_USER_MAX + 1], pass[AUTH_PASS_MAX + 1];
	char	*hdr = fuzz_str(data, size);
	size_t	 plen = 0;

	if (auth_basic_parse(hdr, user, sizeof(user), pass, &plen) == 0) {
		/* What comes out is bounded, NUL-free and terminated. */
		assert(strlen(user) > 0 && strlen(user) < sizeof(user));
		assert(plen <= AUTH_PASS_MAX && strlen(pass) == plen);
	}
	free(hdr);
	return 0;
}
