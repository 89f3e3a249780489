/*
 * fastcgi: the FastCGI record format, for servers that multiplex; the end
 * of a request in libfcgi's loop.
 */
#ifndef FASTCGI_H
#define FASTCGI_H

#include <stddef.h>

#include "util.h"

struct FCGX_Request;

#define FASTCGI_HEADER_LEN	8
#define FASTCGI_PARAMS_MAX	65536	/* CGI variables of one request */

enum fastcgi_type {
	FASTCGI_BEGIN_REQUEST = 1,
	FASTCGI_ABORT_REQUEST,
	FASTCGI_END_REQUEST,
	FASTCGI_PARAMS,
	FASTCGI_STDIN,
	FASTCGI_STDOUT,
	FASTCGI_STDERR,
	FASTCGI_DATA,
	FASTCGI_GET_VALUES,
	FASTCGI_GET_VALUES_RESULT,
	FASTCGI_UNKNOWN_TYPE,
};

enum fastcgi_status {
	FASTCGI_REQUEST_COMPLETE,
	FASTCGI_CANT_MPX_CONN,
	FASTCGI_OVERLOADED,
	FASTCGI_UNKNOWN_ROLE,
};

#define FASTCGI_RESPONDER	1
#define FASTCGI_KEEP_CONN	1

struct fastcgi_rec {
	int			 type;
	unsigned		 id;
	const unsigned char	*p;	/* content, inside the caller's buffer */
	size_t			 len;
};

int	fastcgi_next(const unsigned char *, size_t, size_t *,
	    struct fastcgi_rec *);
void	fastcgi_put(struct buf *, int, unsigned, const char *, size_t);
void	fastcgi_put_end(struct buf *, unsigned, enum fastcgi_status);
char	**fastcgi_env(const unsigned char *, size_t);
void	fastcgi_env_free(char **);
void	fastcgi_finish(struct FCGX_Request *);

#endif
