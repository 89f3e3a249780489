/* request: one HTTP request from CGI variables and a body stream. */
#ifndef REQUEST_H
#define REQUEST_H

#include <stddef.h>
#include <sys/types.h>

#include <json-c/json.h>

#include "config.h"

enum req_method {
	M_GET		= 1 << 0,
	M_HEAD		= 1 << 1,
	M_POST		= 1 << 2,
	M_PUT		= 1 << 3,
	M_DELETE	= 1 << 4,
	M_PATCH		= 1 << 5,
	M_OPTIONS	= 1 << 6,
};

#define REQ_MAXCAP	4
#define REQ_MAXPARAM	64

struct req_kv {
	char	*key;
	char	*val;
};

/* Reads up to n bytes of body; 0 at end of input, -1 on error. */
typedef ssize_t	(*req_readfn)(void *, char *, size_t);

struct req {
	const struct config	*cfg;		/* NULL if it failed to load */
	unsigned		 method;	/* one of enum req_method, or 0 */
	char			*method_name;
	char			*path;		/* SCRIPT_NAME + PATH_INFO */
	char			**env;		/* copy: "NAME=value" */
	size_t			 nenv;
	struct req_kv		 params[REQ_MAXPARAM];
	size_t			 nparams;
	struct req_kv		 caps[REQ_MAXCAP];
	size_t			 ncaps;
	char			*body;
	size_t			 bodylen;
	json_object		*json;		/* parsed body (req_json) */
	char			 id[17];	/* for log lines */
	long			 retry_after;	/* a throttled credential */
	char			 principal[512];	/* who authenticated */
};

int		 req_parse(struct req *, const struct config *, char **,
		    req_readfn, void *);
int		 req_parse_limit(struct req *, const struct config *,
		    size_t, char **, req_readfn, void *);
void		 req_free(struct req *);
const char	*req_getenv(const struct req *, const char *);
const char	*req_header(const struct req *, const char *);
const char	*req_remote(const struct req *);
const char	*req_param(const struct req *, const char *);
const char	*req_cap(const struct req *, const char *);
int		 req_is_json(const struct req *);
int		 req_accepts_json(const struct req *);
int		 req_json(struct req *);
const char	*req_method_name(unsigned);

#endif
