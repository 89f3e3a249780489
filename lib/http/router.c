/* router: a static table of (methods, pattern, handler, flags) per API. */
#include <stdlib.h>
#include <string.h>

#include "router.h"
#include "util.h"

/*
 * Match path against pattern segment by segment; ":name" takes one
 * non-empty segment.  One trailing slash is ignored, as cowboy's router
 * does ("/api/messages/" is "/api/messages"), for every front door.
 * Captures are stored in r only on a full match.
 */
static int
match(const char *pat, const char *path, struct req *r, int keep)
{
	const char	*ps, *pe, *s, *e;
	size_t		 ncaps = 0;

	for (ps = pat, s = path; ; ps = pe, s = e) {
		if (*ps == '\0' || *s == '\0')
			return *ps == '\0' && (*s == '\0' ||
			    (s[0] == '/' && s[1] == '\0' && s != path));
		if (*ps != '/' || *s != '/')
			return 0;
		ps++, s++;
		pe = ps + strcspn(ps, "/");
		e = s + strcspn(s, "/");
		if (*ps == ':') {
			if (e == s || ncaps == REQ_MAXCAP)
				return 0;
			if (keep) {
				r->caps[ncaps].key = xstrndup(ps + 1,
				    (size_t)(pe - ps - 1));
				r->caps[ncaps].val = xstrndup(s,
				    (size_t)(e - s));
				r->ncaps = ++ncaps;
			} else
				ncaps++;
		} else if (pe - ps != e - s || memcmp(ps, s, (size_t)(e - s)))
			return 0;
	}
}

/*
 * 0 and *rt set when a route matches path and method; 405 with *allow
 * set when only the path matches; 404 otherwise.
 */
int
router_match(const struct route *routes, size_t n, struct req *r,
    const struct route **rt, unsigned *allow)
{
	size_t	 i;

	*rt = NULL;
	*allow = 0;
	for (i = 0; i < n; i++) {
		if (!match(routes[i].pattern, r->path, r, 0))
			continue;
		if (routes[i].methods & r->method) {
			(void)match(routes[i].pattern, r->path, r, 1);
			*rt = &routes[i];
			return 0;
		}
		*allow |= routes[i].methods;
	}
	return *allow ? 405 : 404;
}

/* "GET, POST" from a method mask, for the Allow header. */
void
router_allow(unsigned mask, struct buf *b)
{
	unsigned	 m;
	const char	*name;

	buf_reset(b);
	for (m = 1; m != 0 && m <= mask; m <<= 1) {
		if (!(mask & m) || (name = req_method_name(m)) == NULL)
			continue;
		if (b->len > 0)
			buf_adds(b, ", ");
		buf_adds(b, name);
	}
}
