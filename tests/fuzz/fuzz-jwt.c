/* libFuzzer: JWT verification (lib/jwt.c) with a fixed secret. */
#include <assert.h>

#include "fuzz.h"
#include "jwt.h"

#define SECRET	"fuzz-secret-0123456789abcdef0123456789"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object	*claims = NULL;
	char		*tok;
	enum jwt_err	 e;

	e = jwt_verify((const char *)data, size, SECRET, strlen(SECRET),
	    1800000000, &claims);
	assert((e == JWT_OK) == (claims != NULL));
	json_object_put(claims);
	assert(jwt_strerror(e) != NULL);
	/* Any payload signed here verifies here, or is refused for time. */
	if ((tok = jwt_sign((const char *)data, size, SECRET,
	    strlen(SECRET))) != NULL) {
		claims = NULL;
		e = jwt_verify(tok, strlen(tok), SECRET, strlen(SECRET),
		    1800000000, &claims);
		assert(e != JWT_SIGNATURE && e != JWT_ALG);
		json_object_put(claims);
		free(tok);
	}
	return 0;
}
