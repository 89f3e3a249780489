/* cors: CORS headers for an exact-match allow-list of origins. */
#ifndef CORS_H
#define CORS_H

#include "config.h"
#include "request.h"
#include "response.h"

void	cors_headers(const struct req *, struct resp *,
	    const struct strlist *, const char *);

#endif
