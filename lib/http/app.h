/* app: one executable's main loop, run as FastCGI, CGI or from a terminal. */
#ifndef APP_H
#define APP_H

#include <stddef.h>

#include "config.h"
#include "request.h"
#include "response.h"
#include "router.h"

struct app {
	const char		*name;
	const struct route	*routes;
	size_t			 nroutes;
	/* Optional: runs before routing; a non-zero status answers. */
	int			(*prepare)(struct req *, struct resp *);
	/* Writes this API's error body for status; returns the status to send. */
	int			(*error)(struct resp *, int);
	/* Optional: adds headers every reply carries (CORS), error or not. */
	void			(*finish)(const struct req *, struct resp *);
	/* Optional terminal commands instead of a request: exit status. */
	int			(*command)(const struct config *, int, char **);
	const char		*usage;
	/* Optional: this API's body limit instead of [server] max_body. */
	long			(*max_body)(const struct config *);
	/*
	 * Set when every handler is only database work in one transaction
	 * (or one statement): a request that fails with a deadlock or a
	 * serialization failure is run once more before it gets 503.
	 */
	int			 retry_db;
};

/* A request body held in memory, for app_body_read. */
struct app_body {
	const char	*p;
	size_t		 left;
};

int	app_main(const struct app *, int, char **);
const char	*app_config_path(void);
const char	*app_config_error(void);
ssize_t	app_body_read(void *, char *, size_t);
ssize_t	app_fd_read(void *, char *, size_t);
int	app_dispatch(const struct app *, struct req *, struct resp *);
int	app_serve(const struct app *, const struct config *, char **,
	    req_readfn, void *, enum resp_form, resp_writefn, void *);

#endif
