/* request: CONTENT_LENGTH rules, query decoding, headers, JSON bodies. */
#include <stdlib.h>
#include <string.h>

#include "request.h"
#include "tap.h"

struct src {
	const char	*p;
	size_t		 left;
	size_t		 reads;
};

static ssize_t
src_read(void *ctx, char *p, size_t n)
{
	struct src	*s = ctx;

	s->reads++;
	if (n > s->left)
		n = s->left;
	memcpy(p, s->p, n);
	s->p += n;
	s->left -= n;
	return (ssize_t)n;
}

static int
parse(struct req *r, const char *method, const char *cl, const char *body,
    struct src *s)
{
	char	*env[8], mbuf[64], cbuf[64];
	int	 n = 0;

	(void)snprintf(mbuf, sizeof(mbuf), "REQUEST_METHOD=%s", method);
	env[n++] = mbuf;
	if (cl != NULL) {
		(void)snprintf(cbuf, sizeof(cbuf), "CONTENT_LENGTH=%s", cl);
		env[n++] = cbuf;
	}
	env[n++] = (char *)"CONTENT_TYPE=application/json; charset=utf-8";
	env[n++] = (char *)"SCRIPT_NAME=/api/register";
	env[n++] = (char *)"PATH_INFO=/register";
	env[n] = NULL;
	s->p = body;
	s->left = strlen(body);
	s->reads = 0;
	return req_parse(r, NULL, env, src_read, s);
}

static void
cl_case(const char *method, const char *cl, const char *body, int want,
    const char *name)
{
	struct req	 r;
	struct src	 s;
	int		 st;

	st = parse(&r, method, cl, body, &s);
	is_int(st, want, name);
	if (want == 413 || want == 411)
		is_int(s.reads, 0, "nothing read before refusing");
	req_free(&r);
}

static int
json_case(const char *body)
{
	struct req	 r;
	struct src	 s;
	char		 cl[32];
	int		 st;

	(void)snprintf(cl, sizeof(cl), "%zu", strlen(body));
	if ((st = parse(&r, "POST", cl, body, &s)) == 0)
		st = req_json(&r);
	req_free(&r);
	return st;
}

/* {"a":[[...]]} with n arrays inside the object. */
static const char *
nested(int n)
{
	static char	 body[256];
	int		 i, o = 0;

	o += snprintf(body, sizeof(body), "{\"a\":");
	for (i = 0; i < n; i++)
		body[o++] = '[';
	for (i = 0; i < n; i++)
		body[o++] = ']';
	body[o++] = '}';
	body[o] = '\0';
	return body;
}

/* Accept as cowboy_rest reads it. */
static void
accept_cases(void)
{
	static const struct {
		const char	*accept;	/* NULL: no header */
		int		 want;
	} cases[] = {
		{ NULL, 1 }, { "*/*", 1 }, { "application/*", 1 },
		{ "application/json", 1 }, { "Application/JSON", 1 },
		{ "application/json; charset=utf-8", 1 },
		{ "text/html, application/json;q=0.5", 1 },
		{ "text/html ;q=0.9 , */* ; q=0.1", 1 },
		{ "application/json;Q=1", 1 },
		{ "text/html", 0 }, { "text/*", 0 }, { "application/jsonx", 0 },
		{ "application/json;q=0", 0 }, { "*/*;q=0.0", 0 },
		{ "", 0 }, { ",,", 0 }, { "application/json;q=", 0 },
	};
	struct req	 r;
	char		 hdr[128], *env[3];
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&r, 0, sizeof(r));
		env[0] = (char *)"REQUEST_METHOD=GET";
		env[1] = NULL;
		if (cases[i].accept != NULL) {
			(void)snprintf(hdr, sizeof(hdr), "HTTP_ACCEPT=%s",
			    cases[i].accept);
			env[1] = hdr;
		}
		env[2] = NULL;
		if (req_parse(&r, NULL, env, NULL, NULL) != 0) {
			ok(0, "parse for Accept");
			continue;
		}
		is_int(req_accepts_json(&r), cases[i].want,
		    cases[i].accept != NULL ? cases[i].accept : "no Accept");
		req_free(&r);
	}
}

int
main(void)
{
	struct req	 r;
	struct src	 s;
	char		*env[6];

	cl_case("POST", "2", "{}", 0, "exact length");
	cl_case("POST", "0", "", 0, "zero length");
	cl_case("POST", NULL, "{}", 411, "missing on POST");
	cl_case("PUT", "", "{}", 411, "empty on PUT");
	cl_case("GET", NULL, "", 0, "missing on GET is fine");
	cl_case("POST", "-1", "{}", 413, "negative");
	cl_case("POST", "+5", "{}", 413, "plus sign");
	cl_case("POST", "0x10", "{}", 413, "hex");
	cl_case("POST", " 2", "{}", 413, "leading space");
	cl_case("POST", "2,2", "{}", 413, "given twice");
	cl_case("POST", "65537", "{}", 413, "over the default limit");
	cl_case("POST", "2147483648", "{}", 413, "declared 2 GiB");
	cl_case("POST", "99999999999999999999999", "{}", 413, "overflow");
	cl_case("POST", "10", "{}", 400, "short body");

	parse(&r, "POST", "2", "{}", &s);
	is_str(r.path, "/api/register/register", "path is SCRIPT_NAME+PATH_INFO");
	is_int(r.method, M_POST, "method");
	is_str(req_header(&r, "content-type"),
	    "application/json; charset=utf-8", "Content-Type header");
	ok(req_is_json(&r), "JSON with a charset");
	req_free(&r);

	env[0] = (char *)"REQUEST_METHOD=GET";
	env[1] = (char *)"QUERY_STRING=username=al%69ce&host=a+b&key=&x&"
	    "username=second&e=%zz";
	env[2] = (char *)"HTTP_AUTHORIZATION=Basic Zm9vOmJhcg==";
	env[3] = (char *)"HTTP_X_FORWARDED_FOR=1.2.3.4";
	env[4] = NULL;
	is_int(req_parse(&r, NULL, env, src_read, &s), 0, "query parses");
	is_str(req_param(&r, "username"), "alice", "percent-decoding");
	is_str(req_param(&r, "host"), "a b", "plus is space");
	is_str(req_param(&r, "key"), "", "empty value");
	is_str(req_param(&r, "x"), "", "bare key");
	is_str(req_param(&r, "e"), "%zz", "bad escape kept literally");
	ok(req_param(&r, "nope") == NULL, "absent parameter");
	is_str(req_header(&r, "Authorization"), "Basic Zm9vOmJhcg==",
	    "Authorization header");
	is_str(req_header(&r, "X-Forwarded-For"), "1.2.3.4", "dashed header");
	is_str(r.path, "/", "no path is /");
	req_free(&r);

	env[1] = (char *)"QUERY_STRING=username=a%00b";
	is_int(req_parse(&r, NULL, env, src_read, &s), 400, "%00 refused");
	req_free(&r);

	is_int(json_case("{\"a\":1}"), 0, "object");
	is_int(json_case("{\"a\":1}  \n"), 0, "trailing white space");
	is_int(json_case("[1]"), 400, "array is not an object");
	is_int(json_case("\"ok\""), 400, "string is not an object");
	is_int(json_case("{\"a\":1} x"), 400, "trailing garbage");
	is_int(json_case("{\"a\":1}{}"), 400, "two values");
	is_int(json_case("{'a':1}"), 400, "single quotes");
	is_int(json_case("{\"a\":\"\xff\"}"), 400, "invalid UTF-8");
	is_int(json_case("{\"a\":1,}"), 400, "trailing comma");
	is_int(json_case("{\"a\":NaN}"), 400, "NaN");
	is_int(json_case("{\"a\":01}"), 400, "leading zero");
	is_int(json_case("{\"a\":1.}"), 400, "bare decimal point");
	is_int(json_case("{\"a\":.5}"), 400, "no integer part");
	is_int(json_case("{\"a\":-}"), 400, "lone minus");
	is_int(json_case("{\"a\":1e}"), 400, "empty exponent");
	is_int(json_case("{\"a\":-0.5e+10}"), 0, "full number grammar");
	is_int(json_case("{\"a\":\"\\x\"}"), 400, "unknown escape");
	is_int(json_case("{\"a\":\"\\u12\"}"), 400, "short \\u escape");
	is_int(json_case("{\"a\":\"\\u0026\\n\"}"), 0, "valid escapes");
	is_int(json_case("{\"a\":\"\t\"}"), 400, "raw control character");
	is_int(json_case("{\"a\" 1}"), 400, "missing colon");
	is_int(json_case("{1:1}"), 400, "non-string key");
	is_int(json_case("{\"a\":tru}"), 400, "truncated literal");
	is_int(json_case("{\"a\":[1,]}"), 400, "trailing comma in array");
	is_int(json_case(" {\"a\":[]} "), 0, "white space around");
	is_int(json_case(nested(32)), 400, "nesting over 32");
	is_int(json_case(nested(30)), 0, "nesting of 31");
	accept_cases();
	return done_testing();
}
