/* response: status, headers and body, written once the handler is done. */
#include <stdio.h>
#include <string.h>

#include "jsonio.h"
#include "log.h"
#include "response.h"

static const struct {
	int		 code;
	const char	*reason;
} resp_reasons[] = {
	{ 200, "OK" },
	{ 201, "Created" },
	{ 204, "No Content" },
	{ 400, "Bad Request" },
	{ 401, "Unauthorized" },
	{ 403, "Forbidden" },
	{ 404, "Not Found" },
	{ 405, "Method Not Allowed" },
	{ 406, "Not Acceptable" },
	{ 409, "Conflict" },
	{ 411, "Length Required" },
	{ 413, "Content Too Large" },
	{ 415, "Unsupported Media Type" },
	{ 422, "Unprocessable Content" },
	{ 429, "Too Many Requests" },
	{ 500, "Internal Server Error" },
	{ 501, "Not Implemented" },
	{ 503, "Service Unavailable" },
};

const char *
resp_reason(int code)
{
	size_t	 i;

	for (i = 0; i < sizeof(resp_reasons) / sizeof(resp_reasons[0]); i++)
		if (resp_reasons[i].code == code)
			return resp_reasons[i].reason;
	return "Unknown";
}

void
resp_init(struct resp *w)
{
	memset(w, 0, sizeof(*w));
	w->status = 200;
}

void
resp_free(struct resp *w)
{
	buf_free(&w->headers);
	buf_free(&w->body);
}

void
resp_reset(struct resp *w)
{
	buf_reset(&w->headers);
	buf_reset(&w->body);
	w->has_body = 0;
	w->status = 200;
}

/*
 * Header names are tokens and values printable: a CR or LF smuggled in
 * from anywhere can never start a header of its own.
 */
int
resp_header(struct resp *w, const char *name, const char *value)
{
	const unsigned char	*p;

	if (*name == '\0')
		return -1;
	for (p = (const unsigned char *)name; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == ':')
			goto bad;
	for (p = (const unsigned char *)value; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			goto bad;
	buf_addf(&w->headers, "%s: %s\r\n", name, value);
	return 0;
bad:
	log_warn("refused a malformed %s header", name);
	return -1;
}

void
resp_body(struct resp *w, int status, const char *ctype, const char *data,
    size_t len)
{
	w->status = status;
	buf_reset(&w->body);
	buf_add(&w->body, data, len);
	w->has_body = 1;
	if (ctype != NULL)
		(void)resp_header(w, "Content-Type", ctype);
}

void
resp_json(struct resp *w, int status, json_object *obj)
{
	const char	*s = jsonio_dump(obj);

	resp_body(w, status, "application/json", s, strlen(s));
}

/* For fixed replies such as "ok" or {"error":"exists"}. */
void
resp_json_text(struct resp *w, int status, const char *text)
{
	resp_body(w, status, "application/json", text, strlen(text));
}

int
resp_emit(const struct resp *w, enum resp_form form, int head,
    resp_writefn out, void *ctx)
{
	char	 line[128];
	int	 n;

	if (form == RESP_HTTP)
		n = snprintf(line, sizeof(line), "HTTP/1.1 %d %s\r\n",
		    w->status, resp_reason(w->status));
	else
		n = snprintf(line, sizeof(line), "Status: %d %s\r\n",
		    w->status, resp_reason(w->status));
	if (out(ctx, line, (size_t)n) == -1)
		return -1;
	if (w->headers.len > 0 &&
	    out(ctx, w->headers.p, w->headers.len) == -1)
		return -1;
	if (w->has_body) {
		n = snprintf(line, sizeof(line), "Content-Length: %zu\r\n",
		    w->body.len);
		if (out(ctx, line, (size_t)n) == -1)
			return -1;
	}
	if (out(ctx, "\r\n", 2) == -1)
		return -1;
	if (!head && w->body.len > 0 &&
	    out(ctx, w->body.p, w->body.len) == -1)
		return -1;
	return 0;
}
