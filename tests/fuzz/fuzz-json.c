/* libFuzzer: request bodies as JSON (lib/jsonio.c, the BareRTC decoder). */
#include <assert.h>

#include "barertc.h"
#include "fuzz.h"
#include "jsonio.h"
#include "util.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object	*o = NULL, *again = NULL;
	const char	*out, *s;
	char		 err[256], *dup;
	size_t		 len;

	(void)util_utf8_valid((const char *)data, size);
	if (jsonio_parse((const char *)data, size, &o) == 0) {
		/* What parsed serialises, and parses back. */
		out = jsonio_dump(o);
		assert(out != NULL);
		assert(jsonio_parse(out, strlen(out), &again) == 0);
		if (json_object_is_type(o, json_type_object))
			(void)jsonio_str(o, "key", &s, &len);
		json_object_put(again);
		json_object_put(o);
	}
	if ((dup = jsonio_dup_member((const char *)data, size)) != NULL)
		free(dup);
	o = NULL;
	if (barertc_decode((const char *)data, size, &o, err,
	    sizeof(err)) == 0)
		json_object_put(o);
	return 0;
}
