/*
 * restful: ejabberd mod_restful's error shape, {"error":"atom"}, with its
 * status mapping: bad_request 400, not_allowed 401, not_found 404, any
 * other atom 403.  Shared by the register and admin front doors.
 */
#include <stdio.h>

#include "restful.h"

int
restful_fail(struct resp *w, int status, const char *atom)
{
	char	 body[64];

	(void)snprintf(body, sizeof(body), "{\"error\":\"%s\"}", atom);
	resp_json_text(w, status, body);
	return status;
}

/* The router's and dispatcher's errors, in this shape. */
int
restful_error(struct resp *w, int status)
{
	switch (status) {
	case 400:
		return restful_fail(w, 400, "bad_request");
	case 401:
		return restful_fail(w, 401, "not_allowed");
	case 404:
	case 405:	/* upstream answers a wrong method as not found */
		return restful_fail(w, 404, "not_found");
	case 411:
		return restful_fail(w, 411, "length_required");
	case 413:
		return restful_fail(w, 413, "request_too_large");
	case 503:
		return restful_fail(w, 503, "unavailable");
	default:
		return restful_fail(w, 500, "internal_error");
	}
}
