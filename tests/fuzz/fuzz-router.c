/*
 * libFuzzer: route matching (lib/http/router.c) over a table shaped like the
 * client API's.  Input: a method name, a space, a path.
 */
#include <assert.h>

#include "fuzz.h"
#include "request.h"
#include "router.h"
#include "util.h"

static ssize_t
none(void *ctx, char *p, size_t n)
{
	return 0;
}

static int
h(struct req *r, struct resp *w)
{
	return 200;
}

static const struct route routes[] = {
	{ M_POST, "/api/messages", h, 0 },
	{ M_GET | M_HEAD, "/api/messages/:with", h, 0 },
	{ M_PUT, "/api/rooms/:id", h, R_JSON },
	{ M_POST, "/api/rooms/:id/users", h, 0 },
	{ M_DELETE, "/api/rooms/:id/users/:user", h, 0 },
	{ M_GET, "/api/rooms/:id/:a/:b/:c", h, 0 },
	{ M_GET | M_PUT | M_DELETE, "/api/contacts/:jid", h, R_IDEM },
	{ M_POST, "/:x", h, 0 },
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct route	*rt;
	struct req		 r;
	struct buf		 b = { NULL, 0, 0 };
	char			*in = fuzz_str(data, size), *sp, *env[4];
	unsigned		 allow;
	int			 st;

	if ((sp = strchr(in, ' ')) != NULL)
		*sp++ = '\0';
	env[0] = xasprintf("REQUEST_METHOD=%s", in);
	env[1] = xasprintf("SCRIPT_NAME=%s", sp != NULL ? sp : "/");
	env[2] = NULL;
	if (req_parse(&r, NULL, env, none, NULL) == 0) {
		st = router_match(routes, sizeof(routes) / sizeof(routes[0]),
		    &r, &rt, &allow);
		assert(st == 0 || st == 404 || st == 405);
		assert((st == 0) == (rt != NULL));
		assert(r.ncaps <= REQ_MAXCAP);
		if (st == 405) {
			router_allow(allow, &b);
			assert(b.len > 0);
		}
	}
	req_free(&r);
	buf_free(&b);
	free(env[0]);
	free(env[1]);
	free(in);
	return 0;
}
