/* request: one HTTP request from CGI variables and a body stream. */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"
#include "log.h"
#include "request.h"
#include "util.h"

static const struct {
	const char	*name;
	unsigned	 method;
} req_methods[] = {
	{ "GET", M_GET },
	{ "HEAD", M_HEAD },
	{ "POST", M_POST },
	{ "PUT", M_PUT },
	{ "DELETE", M_DELETE },
	{ "PATCH", M_PATCH },
	{ "OPTIONS", M_OPTIONS },
};

#define NMETHODS	(sizeof(req_methods) / sizeof(req_methods[0]))
#define REQ_MAXENV	512

const char *
req_method_name(unsigned m)
{
	size_t	 i;

	for (i = 0; i < NMETHODS; i++)
		if (req_methods[i].method == m)
			return req_methods[i].name;
	return NULL;
}

const char *
req_getenv(const struct req *r, const char *name)
{
	size_t	 i, n = strlen(name);

	for (i = 0; i < r->nenv; i++)
		if (strncmp(r->env[i], name, n) == 0 && r->env[i][n] == '=')
			return r->env[i] + n + 1;
	return NULL;
}

/* "Content-Type" is CONTENT_TYPE; every other header is HTTP_NAME. */
const char *
req_header(const struct req *r, const char *name)
{
	char	 var[128];
	size_t	 i, o = 0;

	if (util_strcaseeq(name, "Content-Type"))
		return req_getenv(r, "CONTENT_TYPE");
	if (util_strcaseeq(name, "Content-Length"))
		return req_getenv(r, "CONTENT_LENGTH");
	if (strlen(name) + 6 > sizeof(var))
		return NULL;
	memcpy(var, "HTTP_", 5);
	o = 5;
	for (i = 0; name[i] != '\0'; i++)
		var[o++] = name[i] == '-' ? '_' :
		    (char)toupper((unsigned char)name[i]);
	var[o] = '\0';
	return req_getenv(r, var);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Percent-decode a query component; NUL bytes are refused. */
static char *
urldecode(const char *s, size_t n)
{
	char	*out, *o;
	size_t	 i;
	int	 hi, lo;

	o = out = xmalloc(n + 1);
	for (i = 0; i < n; i++) {
		if (s[i] == '+')
			*o++ = ' ';
		else if (s[i] == '%' && i + 2 < n &&
		    (hi = hexval((unsigned char)s[i + 1])) >= 0 &&
		    (lo = hexval((unsigned char)s[i + 2])) >= 0) {
			if (hi == 0 && lo == 0) {
				free(out);
				return NULL;
			}
			*o++ = (char)(hi << 4 | lo);
			i += 2;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
}

static int
parse_query(struct req *r, const char *q)
{
	const char	*p, *amp, *eq, *end;
	char		*k, *v;

	for (p = q; p != NULL && *p != '\0'; p = amp ? amp + 1 : NULL) {
		amp = strchr(p, '&');
		end = amp != NULL ? amp : p + strlen(p);
		if (end == p)
			continue;
		if (r->nparams == REQ_MAXPARAM)
			return -1;
		eq = memchr(p, '=', (size_t)(end - p));
		k = urldecode(p, (size_t)((eq != NULL ? eq : end) - p));
		v = eq != NULL ? urldecode(eq + 1, (size_t)(end - eq - 1)) :
		    xstrdup("");
		if (k == NULL || v == NULL) {
			free(k);
			free(v);
			return -1;
		}
		r->params[r->nparams].key = k;
		r->params[r->nparams++].val = v;
	}
	return 0;
}

/* First occurrence wins, as with mod_restful's keysearch. */
const char *
req_param(const struct req *r, const char *key)
{
	size_t	 i;

	for (i = 0; i < r->nparams; i++)
		if (strcmp(r->params[i].key, key) == 0)
			return r->params[i].val;
	return NULL;
}

const char *
req_cap(const struct req *r, const char *name)
{
	size_t	 i;

	for (i = 0; i < r->ncaps; i++)
		if (strcmp(r->caps[i].key, name) == 0)
			return r->caps[i].val;
	return NULL;
}

/*
 * CONTENT_LENGTH is checked before a byte is read: anything but plain
 * digits, or more than the limit, is 413; none on a body method is 411.
 */
static int
read_body(struct req *r, size_t max, req_readfn rd, void *ctx)
{
	const char	*cl, *p;
	size_t		 len = 0, got = 0;
	ssize_t		 n;

	cl = req_getenv(r, "CONTENT_LENGTH");
	if (cl == NULL || *cl == '\0') {
		if (r->method & (M_POST | M_PUT | M_PATCH))
			return 411;
		return 0;
	}
	for (p = cl; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return 413;
		len = len * 10 + (size_t)(*p - '0');
		if (len > max)
			return 413;
	}
	r->body = xmalloc(len + 1);
	while (got < len) {
		n = rd(ctx, r->body + got, len - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	r->body[got] = '\0';
	r->bodylen = got;
	if (got != len) {
		log_info("short body: %zu of %zu bytes", got, len);
		return 400;
	}
	return 0;
}

/*
 * Request ids: a random 64-bit start drawn once per process (and again in
 * a forked child), then one more per request.  Two processes collide only
 * if their ranges overlap, about requests / 2^64 for a pair: unique
 * across processes and restarts, without asking the CSPRNG per request.
 */
static uint64_t	 req_id_next;
static int	 req_id_ready;

static void
req_id_forked(void)
{
	req_id_ready = 0;
}

static void
req_next_id(char out[17])
{
	static int	 once;
	unsigned char	 b[8];
	uint64_t	 v;
	int		 i;

	if (!once++)
		(void)pthread_atfork(NULL, NULL, req_id_forked);
	if (!req_id_ready) {
		util_random(&req_id_next, sizeof(req_id_next));
		req_id_ready = 1;
	}
	v = req_id_next++;
	for (i = 7; i >= 0; i--, v >>= 8)
		b[i] = (unsigned char)(v & 0xff);
	util_hex(b, sizeof(b), out);
}

int
req_parse(struct req *r, const struct config *cfg, char **envp,
    req_readfn rd, void *ctx)
{
	return req_parse_limit(r, cfg, cfg != NULL ? (size_t)cfg->max_body :
	    65536, envp, rd, ctx);
}

/* As req_parse, with the body limit of an API that needs another one. */
int
req_parse_limit(struct req *r, const struct config *cfg, size_t max,
    char **envp, req_readfn rd, void *ctx)
{
	const char	*m, *sn, *pi, *q;
	size_t		 i;

	memset(r, 0, sizeof(*r));
	r->cfg = cfg;
	req_next_id(r->id);

	/* libfcgi's envp dies at the next accept: keep a copy. */
	for (i = 0; envp != NULL && envp[i] != NULL && i < REQ_MAXENV; i++)
		continue;
	r->env = xcalloc(i + 1, sizeof(char *));
	for (r->nenv = 0; r->nenv < i; r->nenv++)
		r->env[r->nenv] = xstrdup(envp[r->nenv]);

	m = req_getenv(r, "REQUEST_METHOD");
	r->method_name = xstrdup(m != NULL ? m : "");
	for (i = 0; i < NMETHODS; i++)
		if (strcmp(r->method_name, req_methods[i].name) == 0)
			r->method = req_methods[i].method;

	sn = req_getenv(r, "SCRIPT_NAME");
	pi = req_getenv(r, "PATH_INFO");
	r->path = xasprintf("%s%s", sn ? sn : "", pi ? pi : "");
	if (r->path[0] == '\0') {
		free(r->path);
		r->path = xstrdup("/");
	}

	if ((q = req_getenv(r, "QUERY_STRING")) != NULL &&
	    parse_query(r, q) == -1)
		return 400;
	return read_body(r, max, rd, ctx);
}

void
req_free(struct req *r)
{
	size_t	 i;

	for (i = 0; i < r->nenv; i++)
		free(r->env[i]);
	free(r->env);
	for (i = 0; i < r->nparams; i++) {
		free(r->params[i].key);
		free(r->params[i].val);
	}
	for (i = 0; i < r->ncaps; i++) {
		free(r->caps[i].key);
		free(r->caps[i].val);
	}
	if (r->body != NULL)
		util_bzero(r->body, r->bodylen);
	free(r->body);
	free(r->method_name);
	free(r->path);
	json_object_put(r->json);
	memset(r, 0, sizeof(*r));
}

/* The client's address, as the web server saw it. */
const char *
req_remote(const struct req *r)
{
	const char	*a;

	if ((a = req_getenv(r, "REMOTE_ADDR")) == NULL || *a == '\0')
		return "-";
	return a;
}

/* application/json, optionally with parameters such as a charset. */
int
req_is_json(const struct req *r)
{
	const char	*ct;
	size_t		 n = sizeof("application/json") - 1;

	if ((ct = req_getenv(r, "CONTENT_TYPE")) == NULL)
		return 0;
	while (*ct == ' ')
		ct++;
	if (!util_strncaseeq(ct, "application/json", n))
		return 0;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

/*
 * Does the Accept header admit application/json?  As cowboy_rest: no
 * header admits anything; otherwise one media range naming JSON, all of
 * application or every type (any case, other parameters ignored) with a
 * q above 0.
 */
int
req_accepts_json(const struct req *r)
{
	const char	*a, *p, *e, *semi, *q;
	char		 range[64];
	size_t		 n;
	double		 qv;

	if ((a = req_header(r, "Accept")) == NULL)
		return 1;
	for (p = a; *p != '\0'; p = *e == ',' ? e + 1 : e) {
		e = p + strcspn(p, ",");
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		semi = memchr(p, ';', (size_t)(e - p));
		n = (size_t)((semi != NULL ? semi : e) - p);
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == 0 || n >= sizeof(range))
			continue;
		memcpy(range, p, n);
		range[n] = '\0';
		if (!util_strcaseeq(range, "application/json") &&
		    !util_strcaseeq(range, "application/*") &&
		    strcmp(range, "*/*") != 0)
			continue;
		qv = 1;
		for (q = semi; q != NULL; q = memchr(q, ';', (size_t)(e - q))) {
			for (q++; q < e && (*q == ' ' || *q == '\t'); q++)
				continue;
			if (e - q >= 2 && (*q == 'q' || *q == 'Q') &&
			    q[1] == '=')
				qv = strtod(q + 2, NULL);
		}
		if (qv > 0)
			return 1;
	}
	return 0;
}

/* Parse the body as a JSON object once; 0 or the HTTP status to answer. */
int
req_json(struct req *r)
{
	if (r->json != NULL)
		return 0;
	if (!req_is_json(r))
		return 400;
	if (jsonio_parse(r->body, r->bodylen, &r->json) == -1)
		return 400;
	if (!json_object_is_type(r->json, json_type_object)) {
		json_object_put(r->json);
		r->json = NULL;
		return 400;
	}
	return 0;
}
