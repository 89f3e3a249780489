/* router: table rows of (method, path) -> route or status. */
#include <stdlib.h>
#include <string.h>

#include "router.h"
#include "tap.h"

static int	h(struct req *r, struct resp *w) { (void)r; (void)w; return 200; }

static const struct route routes[] = {
	{ M_GET, "/api/rooms", h, 0 },
	{ M_POST, "/api/rooms", h, R_JSON },
	{ M_GET | M_PUT, "/api/rooms/:id", h, 0 },
	{ M_DELETE, "/api/rooms/:id/users/:user", h, 0 },
	{ M_GET, "/api/register/is_registered", h, 0 },
};

static const struct {
	unsigned	 method;
	const char	*path;
	int		 status;
	int		 row;
	unsigned	 allow;
} cases[] = {
	{ M_GET, "/api/rooms", 0, 0, 0 },
	{ M_POST, "/api/rooms", 0, 1, 0 },
	{ M_DELETE, "/api/rooms", 405, -1, M_GET | M_POST },
	{ M_GET, "/api/rooms/abc", 0, 2, 0 },
	{ M_PUT, "/api/rooms/abc", 0, 2, 0 },
	{ M_POST, "/api/rooms/abc", 405, -1, M_GET | M_PUT },
	{ M_GET, "/api/rooms/", 0, 0, 0 },
	{ M_GET, "/api/rooms/abc/", 0, 2, 0 },
	{ M_POST, "/api/rooms/abc/", 405, -1, M_GET | M_PUT },
	{ M_GET, "/api/rooms//", 404, -1, 0 },
	{ M_GET, "/api/rooms/abc//", 404, -1, 0 },
	{ M_GET, "/api/roomsx", 404, -1, 0 },
	{ M_GET, "/api/room", 404, -1, 0 },
	{ M_DELETE, "/api/rooms/r1/users/bob@localhost", 0, 3, 0 },
	{ M_DELETE, "/api/rooms/r1/users", 404, -1, 0 },
	{ M_GET, "/api/register/is_registered", 0, 4, 0 },
	{ M_GET, "/", 404, -1, 0 },
	{ 0, "/api/rooms", 405, -1, M_GET | M_POST },
};

int
main(void)
{
	const struct route	*rt;
	struct req		 r;
	struct buf		 b = { NULL, 0, 0 };
	unsigned		 allow;
	size_t			 i;
	int			 st;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&r, 0, sizeof(r));
		r.method = cases[i].method;
		r.path = (char *)cases[i].path;
		st = router_match(routes, sizeof(routes) / sizeof(routes[0]),
		    &r, &rt, &allow);
		is_int(st, cases[i].status, cases[i].path);
		if (cases[i].row >= 0)
			ok(rt == &routes[cases[i].row], "right row");
		else
			is_int(allow, cases[i].allow, "allow mask");
		for (; r.ncaps > 0; r.ncaps--) {
			free(r.caps[r.ncaps - 1].key);
			free(r.caps[r.ncaps - 1].val);
		}
	}

	memset(&r, 0, sizeof(r));
	r.method = M_DELETE;
	r.path = (char *)"/api/rooms/r1/users/bob@localhost";
	(void)router_match(routes, 5, &r, &rt, &allow);
	is_int(r.ncaps, 2, "two captures");
	is_str(req_cap(&r, "id"), "r1", "capture :id");
	is_str(req_cap(&r, "user"), "bob@localhost", "capture :user");
	ok(req_cap(&r, "nope") == NULL, "unknown capture");
	for (i = 0; i < r.ncaps; i++) {
		free(r.caps[i].key);
		free(r.caps[i].val);
	}

	router_allow(M_GET | M_POST | M_DELETE, &b);
	is_str(b.p, "GET, POST, DELETE", "Allow header text");
	buf_free(&b);
	return done_testing();
}
