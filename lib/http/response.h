/* response: status, headers and body, written once the handler is done. */
#ifndef RESPONSE_H
#define RESPONSE_H

#include <stddef.h>

#include <json-c/json.h>

#include "util.h"

struct resp {
	int		 status;
	struct buf	 headers;	/* "Name: value\r\n" lines */
	struct buf	 body;
	int		 has_body;
};

/* Writes n bytes; -1 on error. */
typedef int	(*resp_writefn)(void *, const char *, size_t);

enum resp_form {
	RESP_CGI,	/* "Status: 200 OK" for CGI and FastCGI */
	RESP_HTTP,	/* "HTTP/1.1 200 OK" for the terminal */
};

void		 resp_init(struct resp *);
void		 resp_free(struct resp *);
void		 resp_reset(struct resp *);
int		 resp_header(struct resp *, const char *, const char *);
void		 resp_body(struct resp *, int, const char *, const char *,
		    size_t);
void		 resp_json(struct resp *, int, json_object *);
void		 resp_json_text(struct resp *, int, const char *);
int		 resp_emit(const struct resp *, enum resp_form, int,
		    resp_writefn, void *);
const char	*resp_reason(int);

#endif
