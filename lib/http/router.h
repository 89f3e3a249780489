/* router: a static table of (methods, pattern, handler, flags) per API. */
#ifndef ROUTER_H
#define ROUTER_H

#include <stddef.h>

#include "request.h"
#include "response.h"

/* Returns the HTTP status; the dispatcher writes an error body if none. */
typedef int	(*route_fn)(struct req *, struct resp *);

enum route_flag {
	R_JSON		= 1 << 0,	/* body must be an application/json object */
	R_IDEM		= 1 << 1,	/* a write that honours Idempotency-Key */
};

struct route {
	unsigned	 methods;	/* mask of enum req_method */
	const char	*pattern;	/* "/api/rooms/:id/users/:user" */
	route_fn	 fn;
	unsigned	 flags;
};

int	router_match(const struct route *, size_t, struct req *,
	    const struct route **, unsigned *);
void	router_allow(unsigned, struct buf *);

#endif
