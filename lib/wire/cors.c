/*
 * cors: CORS headers for an exact-match allow-list of origins.
 *
 * An Origin is never reflected unless it is on the list, byte for byte;
 * credentials are allowed only for such an origin, never with "*".  Every
 * reply says "Vary: Origin", so caches keep the answers apart.
 */
#include "cors.h"

void
cors_headers(const struct req *r, struct resp *w, const struct strlist *allow,
    const char *methods)
{
	const char	*origin;

	(void)resp_header(w, "Vary", "Origin");
	if ((origin = req_header(r, "Origin")) == NULL ||
	    !config_list_has(allow, origin))
		return;
	(void)resp_header(w, "Access-Control-Allow-Origin", origin);
	(void)resp_header(w, "Access-Control-Allow-Credentials", "true");
	(void)resp_header(w, "Access-Control-Allow-Methods", methods);
	(void)resp_header(w, "Access-Control-Allow-Headers",
	    "authorization, content-type");
}
