/*
 * barertc: BareRTC's wire format, which is Go's encoding/json.
 *
 * Requests are read like json.NewDecoder(body).Decode(&params): only the
 * first JSON value counts, white space alone is "EOF", a truncated value
 * "unexpected EOF", and a syntax error gets the scanner's own text
 * ("invalid character '}' looking for beginning of object key string").
 * Object keys match struct fields case-insensitively, an exact match
 * first, the last occurrence winning.  Replies are json.Encoder with
 * SetIndent("", "  "): two-space indent, a final newline, and <, > and &
 * escaped as \u003c, \u003e and \u0026.
 */
#include <stdio.h>
#include <string.h>

#include "barertc.h"
#include "jsonio.h"
#include "log.h"

#define GS_ERR		(-1)
#define GS_EOF		(-2)
#define GS_MAXDEPTH	10000	/* Go's limit; jsonio's is lower */

struct gs {
	const unsigned char	*p;
	size_t			 i, n;
	int			 depth;
	char			*err;
	size_t			 errlen;
};

/* Go's quoteChar: the byte as a rune, quoted like strconv.Quote. */
static void
gs_quote(unsigned char c, char *out, size_t n)
{
	static const char esc[] = "\a\b\f\n\r\t\v";
	static const char let[] = "abfnrtv";
	const char	*e;

	if (c == '\'')
		(void)snprintf(out, n, "'\\''");
	else if (c == '\\')
		(void)snprintf(out, n, "'\\\\'");
	else if (c != '\0' && (e = strchr(esc, c)) != NULL)
		(void)snprintf(out, n, "'\\%c'", let[e - esc]);
	else if (c < 0x20 || c == 0x7f)
		(void)snprintf(out, n, "'\\x%02x'", c);
	else if (c < 0x80)
		(void)snprintf(out, n, "'%c'", c);
	else if (c <= 0xa0 || c == 0xad)	/* not printable runes */
		(void)snprintf(out, n, "'\\u%04x'", c);
	else	/* U+00A1..U+00FF in UTF-8 */
		(void)snprintf(out, n, "'%c%c'", 0xc0 | c >> 6,
		    0x80 | (c & 0x3f));
}

static int
gs_error(struct gs *s, const char *ctx)
{
	char	 q[16];

	gs_quote(s->p[s->i], q, sizeof(q));
	(void)snprintf(s->err, s->errlen, "invalid character %s %s", q, ctx);
	return GS_ERR;
}

static void
gs_ws(struct gs *s)
{
	while (s->i < s->n && (s->p[s->i] == ' ' || s->p[s->i] == '\t' ||
	    s->p[s->i] == '\r' || s->p[s->i] == '\n'))
		s->i++;
}

static int
gs_isdigit(struct gs *s)
{
	return s->p[s->i] >= '0' && s->p[s->i] <= '9';
}

static int	gs_value(struct gs *);

static int
gs_string(struct gs *s)
{
	unsigned char	 c;
	int		 k;

	for (s->i++; s->i < s->n; ) {
		c = s->p[s->i];
		if (c == '"') {
			s->i++;
			return 0;
		}
		if (c < 0x20)
			return gs_error(s, "in string literal");
		s->i++;
		if (c != '\\')
			continue;
		if (s->i >= s->n)
			return GS_EOF;
		c = s->p[s->i];
		if (c != '\0' && strchr("bfnrt\\/\"", c) != NULL) {
			s->i++;
			continue;
		}
		if (c != 'u')
			return gs_error(s, "in string escape code");
		for (s->i++, k = 0; k < 4; k++, s->i++) {
			if (s->i >= s->n)
				return GS_EOF;
			c = s->p[s->i];
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
			    (c >= 'A' && c <= 'F')))
				return gs_error(s,
				    "in \\u hexadecimal character escape");
		}
	}
	return GS_EOF;
}

static int
gs_number(struct gs *s)
{
	if (s->p[s->i] == '-') {
		if (++s->i >= s->n)
			return GS_EOF;
		if (!gs_isdigit(s))
			return gs_error(s, "in numeric literal");
	}
	if (s->p[s->i++] != '0')
		while (s->i < s->n && gs_isdigit(s))
			s->i++;
	if (s->i < s->n && s->p[s->i] == '.') {
		if (++s->i >= s->n)
			return GS_EOF;
		if (!gs_isdigit(s))
			return gs_error(s,
			    "after decimal point in numeric literal");
		while (s->i < s->n && gs_isdigit(s))
			s->i++;
	}
	if (s->i < s->n && (s->p[s->i] == 'e' || s->p[s->i] == 'E')) {
		if (++s->i >= s->n)
			return GS_EOF;
		if (s->p[s->i] == '+' || s->p[s->i] == '-')
			if (++s->i >= s->n)
				return GS_EOF;
		if (!gs_isdigit(s))
			return gs_error(s, "in exponent of numeric literal");
		while (s->i < s->n && gs_isdigit(s))
			s->i++;
	}
	return 0;
}

static int
gs_literal(struct gs *s, const char *lit)
{
	char	 ctx[64];
	size_t	 k;

	for (k = 1, s->i++; lit[k] != '\0'; k++, s->i++) {
		if (s->i >= s->n)
			return GS_EOF;
		if (s->p[s->i] != (unsigned char)lit[k]) {
			(void)snprintf(ctx, sizeof(ctx),
			    "in literal %s (expecting '%c')", lit, lit[k]);
			return gs_error(s, ctx);
		}
	}
	return 0;
}

/* Object or array; the scanner's context names for each position. */
static int
gs_container(struct gs *s, int obj)
{
	int	 rc;

	if (++s->depth > GS_MAXDEPTH) {
		(void)snprintf(s->err, s->errlen, "exceeded max depth");
		return GS_ERR;
	}
	s->i++;
	gs_ws(s);
	if (s->i >= s->n)
		return GS_EOF;
	if (s->p[s->i] == (obj ? '}' : ']')) {
		s->i++;
		s->depth--;
		return 0;
	}
	for (;;) {
		if (obj) {
			if (s->p[s->i] != '"')
				return gs_error(s,
				    "looking for beginning of object key string");
			if ((rc = gs_string(s)) != 0)
				return rc;
			gs_ws(s);
			if (s->i >= s->n)
				return GS_EOF;
			if (s->p[s->i] != ':')
				return gs_error(s, "after object key");
			s->i++;
			gs_ws(s);
		}
		if ((rc = gs_value(s)) != 0)
			return rc;
		gs_ws(s);
		if (s->i >= s->n)
			return GS_EOF;
		if (s->p[s->i] == (obj ? '}' : ']')) {
			s->i++;
			s->depth--;
			return 0;
		}
		if (s->p[s->i] != ',')
			return gs_error(s, obj ? "after object key:value pair" :
			    "after array element");
		s->i++;
		gs_ws(s);
		if (s->i >= s->n)
			return GS_EOF;
	}
}

static int
gs_value(struct gs *s)
{
	if (s->i >= s->n)
		return GS_EOF;
	switch (s->p[s->i]) {
	case '{':
		return gs_container(s, 1);
	case '[':
		return gs_container(s, 0);
	case '"':
		return gs_string(s);
	case 't':
		return gs_literal(s, "true");
	case 'f':
		return gs_literal(s, "false");
	case 'n':
		return gs_literal(s, "null");
	default:
		if (s->p[s->i] == '-' || gs_isdigit(s))
			return gs_number(s);
		return gs_error(s, "looking for beginning of value");
	}
}

/* Go's names for JSON kinds in UnmarshalTypeError. */
static const char *
gs_kind(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_boolean:
		return "bool";
	case json_type_int:
	case json_type_double:
		return "number";
	case json_type_string:
		return "string";
	case json_type_array:
		return "array";
	case json_type_object:
		return "object";
	default:
		return "null";
	}
}

/*
 * The first JSON value of buf into *out (an object; a JSON null gives an
 * empty one), or -1 with Go's error text in err.
 */
int
barertc_decode(const char *buf, size_t len, json_object **out, char *err,
    size_t errlen)
{
	struct gs	 s = { (const unsigned char *)buf, 0, len, 0, err,
			    errlen };
	size_t		 start;
	int		 rc;

	*out = NULL;
	gs_ws(&s);
	if (s.i >= s.n) {
		(void)snprintf(err, errlen, "EOF");
		return -1;
	}
	start = s.i;
	if ((rc = gs_value(&s)) == GS_EOF)
		(void)snprintf(err, errlen, "unexpected EOF");
	if (rc != 0)
		return -1;
	/* Only an object (or null, the zero struct) fills a struct. */
	switch (s.p[start]) {
	case '{':
		break;
	case 'n':
		*out = json_object_new_object();
		return 0;
	default:
		(void)snprintf(err, errlen, "json: cannot unmarshal %s into "
		    "Go value of type barertc.request", s.p[start] == '[' ?
		    "array" : s.p[start] == '"' ? "string" : s.p[start] == 't' ||
		    s.p[start] == 'f' ? "bool" : "number");
		return -1;
	}
	if (jsonio_parse(buf + start, s.i - start, out) == -1) {
		/* Valid to Go's scanner; deeper or less UTF-8 than we take. */
		(void)snprintf(err, errlen, "invalid JSON");
		return -1;
	}
	return 0;
}

static const char *
gs_type(enum barertc_kind k)
{
	switch (k) {
	case BK_BOOL:
		return "bool";
	case BK_STRINGS:
	case BK_STRING:
		return "string";
	case BK_INT:
		return "int";
	case BK_INT64:
		return "int64";
	case BK_ARRAY:
		return "[]struct";
	default:
		return "struct";
	}
}

/* Does v fit a field of kind k?  0, or -1 with Go's text in err. */
static int
gs_check(json_object *v, enum barertc_kind k, const char *st,
    const char *name, char *err, size_t errlen)
{
	json_object	*e;
	size_t		 i, n;
	int		 good = 0;

	switch (k) {
	case BK_STRING:
		good = json_object_is_type(v, json_type_string);
		break;
	case BK_BOOL:
		good = json_object_is_type(v, json_type_boolean);
		break;
	case BK_OBJECT:
		good = json_object_is_type(v, json_type_object);
		break;
	case BK_ARRAY:
		good = json_object_is_type(v, json_type_array);
		break;
	case BK_INT:
	case BK_INT64:
		if (json_object_is_type(v, json_type_int))
			return 0;
		if (!json_object_is_type(v, json_type_double))
			break;
		/* Go names the number as written: 1.5, 1e3 */
		(void)snprintf(err, errlen, "json: cannot unmarshal number %s "
		    "into Go struct field %s.%s of type %s",
		    json_object_to_json_string(v), st, name, gs_type(k));
		return -1;
	case BK_NUMDATE:
		if (json_object_is_type(v, json_type_int) ||
		    json_object_is_type(v, json_type_double))
			return 0;
		(void)snprintf(err, errlen, "json: cannot unmarshal %s into "
		    "Go value of type json.Number", gs_kind(v));
		return -1;
	case BK_AUDIENCE:
		good = json_object_is_type(v, json_type_string);
		if (json_object_is_type(v, json_type_array)) {
			good = 1;
			n = json_object_array_length(v);
			for (i = 0; i < n; i++) {
				e = json_object_array_get_idx(v, i);
				if (!json_object_is_type(e, json_type_string))
					good = 0;
			}
		}
		if (good)
			return 0;
		(void)snprintf(err, errlen, "json: unsupported type: %s",
		    json_object_is_type(v, json_type_object) ?
		    "map[string]interface {}" : json_object_is_type(v,
		    json_type_boolean) ? "bool" : json_object_is_type(v,
		    json_type_string) ? "string" : json_object_is_type(v,
		    json_type_array) ? "[]interface {}" : "float64");
		return -1;
	case BK_STRINGS:
		if (!json_object_is_type(v, json_type_array)) {
			(void)snprintf(err, errlen, "json: cannot unmarshal %s "
			    "into Go struct field %s.%s of type []string",
			    gs_kind(v), st, name);
			return -1;
		}
		n = json_object_array_length(v);
		for (i = 0; i < n; i++) {
			e = json_object_array_get_idx(v, i);
			if (e != NULL && !json_object_is_type(e,
			    json_type_string)) {
				v = e;
				good = 0;
				goto bad;
			}
		}
		return 0;
	}
	if (good)
		return 0;
bad:
	(void)snprintf(err, errlen, "json: cannot unmarshal %s into Go struct "
	    "field %s.%s of type %s", gs_kind(v), st, name, gs_type(k));
	return -1;
}

/*
 * Go's field matching for struct st: vals[i] is the value (borrowed) of
 * fields[i], NULL if absent or null.  Keys matching no field are ignored.
 * A value of the wrong type is an error, as Decode returns it.
 */
int
barertc_fields(json_object *obj, const char *st,
    const struct barertc_field *f, size_t n, json_object **vals, char *err,
    size_t errlen)
{
	size_t	 i, hit;
	int	 rc = 0;

	for (i = 0; i < n; i++)
		vals[i] = NULL;
	json_object_object_foreach(obj, key, val) {
		for (hit = 0; hit < n && strcmp(f[hit].name, key) != 0; hit++)
			continue;
		if (hit == n)
			for (hit = 0; hit < n &&
			    !util_strcaseeq(f[hit].name, key); hit++)
				continue;
		if (hit == n)
			continue;
		if (val == NULL) {
			if (f[hit].kind == BK_STRINGS)
				vals[hit] = NULL;
			continue;
		}
		if (rc == 0 && gs_check(val, f[hit].kind, st, f[hit].name,
		    err, errlen) == -1)
			rc = -1;
		vals[hit] = val;
	}
	return rc;
}

/* A JSON string as Go's encoder writes it (HTML-safe). */
void
barertc_str(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i;

	buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		switch (p[i]) {
		case '"':
			buf_adds(b, "\\\"");
			continue;
		case '\\':
			buf_adds(b, "\\\\");
			continue;
		case '\b':
			buf_adds(b, "\\b");
			continue;
		case '\f':
			buf_adds(b, "\\f");
			continue;
		case '\n':
			buf_adds(b, "\\n");
			continue;
		case '\r':
			buf_adds(b, "\\r");
			continue;
		case '\t':
			buf_adds(b, "\\t");
			continue;
		case '<':
		case '>':
		case '&':
			break;
		default:
			/* U+2028 and U+2029 */
			if (p[i] == 0xe2 && i + 2 < n && p[i + 1] == 0x80 &&
			    (p[i + 2] == 0xa8 || p[i + 2] == 0xa9)) {
				buf_addf(b, "\\u202%c",
				    p[i + 2] == 0xa8 ? '8' : '9');
				i += 2;
				continue;
			}
			if (p[i] >= 0x20) {
				buf_addc(b, (char)p[i]);
				continue;
			}
			break;
		}
		buf_adds(b, "\\u00");
		buf_addc(b, hex[p[i] >> 4]);
		buf_addc(b, hex[p[i] & 15]);
	}
	buf_addc(b, '"');
}

void
barertc_begin(struct buf *b)
{
	buf_reset(b);
	buf_addc(b, '{');
}

void
barertc_key(struct buf *b, const char *key)
{
	if (b->len > 1)
		buf_addc(b, ',');
	buf_adds(b, "\n  ");
	barertc_str(b, key, strlen(key));
	buf_adds(b, ": ");
}

/* A []string member's value, at the indent of a top-level member. */
void
barertc_strings(struct buf *b, const char *const *v, size_t n)
{
	size_t	 i;

	if (n == 0) {
		buf_adds(b, "[]");
		return;
	}
	buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		buf_adds(b, i > 0 ? ",\n    " : "\n    ");
		barertc_str(b, v[i], strlen(v[i]));
	}
	buf_adds(b, "\n  ]");
}

void
barertc_end(struct buf *b)
{
	buf_adds(b, b->len > 1 ? "\n}\n" : "}\n");
}

void
barertc_send(struct resp *w, int status, struct buf *b)
{
	resp_body(w, status, "application/json", b->p, b->len);
}

/* {"OK": false, "Error": msg} */
int
barertc_fail(struct resp *w, int status, const char *msg)
{
	struct buf	 b = { NULL, 0, 0 };

	barertc_begin(&b);
	barertc_key(&b, "OK");
	buf_adds(&b, "false");
	barertc_key(&b, "Error");
	barertc_str(&b, msg, strlen(msg));
	barertc_end(&b);
	barertc_send(w, status, &b);
	buf_free(&b);
	return status;
}

/* The router's and dispatcher's errors, in this shape. */
int
barertc_error(struct resp *w, int status)
{
	switch (status) {
	case 400:
		return barertc_fail(w, 400, "Bad request.");
	case 401:
		return barertc_fail(w, 401, "Authentication denied.");
	case 404:
	case 405:
		return barertc_fail(w, 404, "Not found.");
	case 411:
		return barertc_fail(w, 411, "Content-Length required.");
	case 413:
		return barertc_fail(w, 413, "Request body too large.");
	case 503:
		return barertc_fail(w, 503, "Service unavailable.");
	default:
		return barertc_fail(w, 500, "Internal server error.");
	}
}

/*
 * Every POST endpoint's checks, in BareRTC's order: the method, the
 * exact content type, then the body.  0 with *obj set, or 400 with the
 * error text in err (each endpoint has its own reply shape).
 */
int
barertc_post(struct req *r, json_object **obj, char *err, size_t errlen)
{
	const char	*ct;

	*obj = NULL;
	if (r->method != M_POST) {
		(void)snprintf(err, errlen, "Only POST methods allowed");
		return 400;
	}
	if ((ct = req_getenv(r, "CONTENT_TYPE")) == NULL ||
	    strcmp(ct, "application/json") != 0) {
		(void)snprintf(err, errlen,
		    "Only application/json content-types allowed");
		return 400;
	}
	if (barertc_decode(r->body != NULL ? r->body : "", r->bodylen, obj,
	    err, errlen) == -1) {
		log_info("request body: %s", err);
		return 400;
	}
	return 0;
}
