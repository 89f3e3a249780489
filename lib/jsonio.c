/* jsonio: bounded JSON parsing and typed field access over json-c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"
#include "util.h"

/*
 * json-c's strict mode still takes single-quoted strings and NaN, so a
 * small scanner checks the RFC 8259 grammar first.  Returns the offset
 * after the value, or 0 on a syntax error.
 */
struct scan {
	const char	*p;
	size_t		 i, n;
	int		 depth;
};

static int	scan_value(struct scan *);

static void
scan_ws(struct scan *s)
{
	while (s->i < s->n && (s->p[s->i] == ' ' || s->p[s->i] == '\t' ||
	    s->p[s->i] == '\r' || s->p[s->i] == '\n'))
		s->i++;
}

static int
scan_lit(struct scan *s, const char *lit)
{
	size_t	 n = strlen(lit);

	if (s->n - s->i < n || memcmp(s->p + s->i, lit, n) != 0)
		return -1;
	s->i += n;
	return 0;
}

static int
scan_digits(struct scan *s)
{
	size_t	 start = s->i;

	while (s->i < s->n && s->p[s->i] >= '0' && s->p[s->i] <= '9')
		s->i++;
	return s->i > start ? 0 : -1;
}

static int	scan_number_syntax(struct scan *);

/* A number token: RFC 8259 syntax, at most 64 bytes, finite. */
static int
scan_number(struct scan *s)
{
	char	 tok[JSONIO_NUMBER_MAX + 1];
	size_t	 start = s->i;

	if (scan_number_syntax(s) == -1 ||
	    s->i - start > JSONIO_NUMBER_MAX)
		return -1;
	/* 1e999 would become inf, which json-c writes back as no JSON. */
	memcpy(tok, s->p + start, s->i - start);
	tok[s->i - start] = '\0';
	return isfinite(strtod(tok, NULL)) ? 0 : -1;
}

static int
scan_number_syntax(struct scan *s)
{
	if (s->i < s->n && s->p[s->i] == '-')
		s->i++;
	if (s->i < s->n && s->p[s->i] == '0')
		s->i++;
	else if (scan_digits(s) == -1)
		return -1;
	if (s->i < s->n && s->p[s->i] == '.') {
		s->i++;
		if (scan_digits(s) == -1)
			return -1;
	}
	if (s->i < s->n && (s->p[s->i] == 'e' || s->p[s->i] == 'E')) {
		s->i++;
		if (s->i < s->n && (s->p[s->i] == '+' || s->p[s->i] == '-'))
			s->i++;
		if (scan_digits(s) == -1)
			return -1;
	}
	return 0;
}

/* The code unit of a \\u escape whose 4 hex digits start at i; -1 if bad. */
static long
scan_hex4(struct scan *s, size_t i)
{
	long	 v = 0;
	int	 k, c;

	for (k = 0; k < 4; k++, i++) {
		if (i >= s->n)
			return -1;
		c = (unsigned char)s->p[i];
		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (c - 'A' + 10);
		else
			return -1;
	}
	return v;
}

/*
 * A string; a \\u escape of a surrogate must be a high one followed by a
 * low one.  json-c turns a lone surrogate into U+FFFD, so text would be
 * stored altered: such strings are refused instead.
 */
static int
scan_string(struct scan *s)
{
	unsigned char	 c;
	long		 u, lo;

	s->i++;		/* opening quote */
	while (s->i < s->n) {
		c = (unsigned char)s->p[s->i++];
		if (c == '"')
			return 0;
		if (c < 0x20)
			return -1;
		if (c != '\\')
			continue;
		if (s->i >= s->n)
			return -1;
		c = (unsigned char)s->p[s->i++];
		if (c == 'u') {
			if ((u = scan_hex4(s, s->i)) == -1)
				return -1;
			s->i += 4;
			if (u >= 0xdc00 && u <= 0xdfff)
				return -1;
			if (u < 0xd800 || u > 0xdbff)
				continue;
			if (s->n - s->i < 6 || s->p[s->i] != '\\' ||
			    s->p[s->i + 1] != 'u' ||
			    (lo = scan_hex4(s, s->i + 2)) < 0xdc00 ||
			    lo > 0xdfff)
				return -1;
			s->i += 6;
		} else if (strchr("\"\\/bfnrt", c) == NULL || c == '\0')
			return -1;
	}
	return -1;
}

static int
scan_container(struct scan *s, char close)
{
	if (++s->depth > JSONIO_MAX_DEPTH)
		return -1;
	s->i++;
	scan_ws(s);
	if (s->i < s->n && s->p[s->i] == close) {
		s->i++;
		s->depth--;
		return 0;
	}
	for (;;) {
		scan_ws(s);
		if (close == '}') {
			if (s->i >= s->n || s->p[s->i] != '"' ||
			    scan_string(s) == -1)
				return -1;
			scan_ws(s);
			if (s->i >= s->n || s->p[s->i++] != ':')
				return -1;
			scan_ws(s);
		}
		if (scan_value(s) == -1)
			return -1;
		scan_ws(s);
		if (s->i >= s->n)
			return -1;
		if (s->p[s->i] == close) {
			s->i++;
			s->depth--;
			return 0;
		}
		if (s->p[s->i++] != ',')
			return -1;
	}
}

static int
scan_value(struct scan *s)
{
	if (s->i >= s->n)
		return -1;
	switch (s->p[s->i]) {
	case '{':
		return scan_container(s, '}');
	case '[':
		return scan_container(s, ']');
	case '"':
		return scan_string(s);
	case 't':
		return scan_lit(s, "true");
	case 'f':
		return scan_lit(s, "false");
	case 'n':
		return scan_lit(s, "null");
	default:
		return scan_number(s);
	}
}

/*
 * Strict RFC 8259 input, valid UTF-8, nesting at most JSONIO_MAX_DEPTH,
 * nothing but white space after the value.  Size is bounded earlier, by
 * the request's CONTENT_LENGTH check.
 */
int
jsonio_check(const char *buf, size_t len)
{
	struct scan	 sc = { buf, 0, len, 0 };

	if (buf == NULL || len == 0 || len > (size_t)0x7fffffff)
		return -1;
	/* json-c's UTF-8 check lets overlong forms and surrogates through. */
	if (!util_utf8_valid(buf, len))
		return -1;
	scan_ws(&sc);
	if (scan_value(&sc) == -1)
		return -1;
	scan_ws(&sc);
	return sc.i == len ? 0 : -1;
}

/* jsonio_check, then json-c's tree of the text. */
int
jsonio_parse(const char *buf, size_t len, json_object **out)
{
	struct json_tokener	*tok;
	json_object		*obj = NULL;
	int			 rc = -1;

	*out = NULL;
	if (jsonio_check(buf, len) == -1)
		return -1;
	/* json-c refuses nesting that reaches its limit: the scanner decides. */
	if ((tok = json_tokener_new_ex(JSONIO_MAX_DEPTH + 1)) == NULL)
		return -1;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, buf, (int)len);
	/* A number at the very end could go on: tell json-c it does not. */
	if (obj == NULL && json_tokener_get_error(tok) == json_tokener_continue)
		obj = json_tokener_parse_ex(tok, " ", 1);
	if (obj == NULL || json_tokener_get_error(tok) != json_tokener_success)
		goto out;
	*out = obj;
	obj = NULL;
	rc = 0;
out:
	json_object_put(obj);
	json_tokener_free(tok);
	return rc;
}

/* Code point u (at most U+10FFFF, no surrogate) as UTF-8; its length. */
static size_t
utf8_put(long u, unsigned char *out)
{
	if (u < 0x80) {
		out[0] = (unsigned char)u;
		return 1;
	}
	if (u < 0x800) {
		out[0] = (unsigned char)(0xc0 | u >> 6);
		out[1] = (unsigned char)(0x80 | (u & 0x3f));
		return 2;
	}
	if (u < 0x10000) {
		out[0] = (unsigned char)(0xe0 | u >> 12);
		out[1] = (unsigned char)(0x80 | (u >> 6 & 0x3f));
		out[2] = (unsigned char)(0x80 | (u & 0x3f));
		return 3;
	}
	out[0] = (unsigned char)(0xf0 | u >> 18);
	out[1] = (unsigned char)(0x80 | (u >> 12 & 0x3f));
	out[2] = (unsigned char)(0x80 | (u >> 6 & 0x3f));
	out[3] = (unsigned char)(0x80 | (u & 0x3f));
	return 4;
}

/*
 * The string at s->i (its opening quote), decoded as json-c decodes it:
 * at most cap bytes to out, its whole length to *n.  The text passed
 * jsonio_check, so escapes and surrogate pairs are well formed.
 */
static void
scan_decode(struct scan *s, char *out, size_t cap, size_t *n)
{
	static const char	 esc[] = "bfnrt", rep[] = "\b\f\n\r\t";
	const char		*p;
	unsigned char		 u8[4];
	size_t			 k = 0, from, m, j;
	long			 u;

	s->i++;
	for (;;) {
		from = s->i;
		while (s->p[s->i] != '"' && s->p[s->i] != '\\')
			s->i++;
		m = s->i - from;
		if (k < cap)
			memcpy(out + k, s->p + from, m < cap - k ? m : cap - k);
		k += m;
		if (s->p[s->i++] == '"')
			break;
		if (s->p[s->i] != 'u') {
			p = strchr(esc, s->p[s->i]);
			u8[0] = (unsigned char)(p != NULL ? rep[p - esc] :
			    s->p[s->i]);
			s->i++;
			m = 1;
		} else {
			u = scan_hex4(s, s->i + 1);
			s->i += 5;
			if (u >= 0xd800 && u <= 0xdbff) {
				u = 0x10000 + ((u - 0xd800) << 10) +
				    (scan_hex4(s, s->i + 2) - 0xdc00);
				s->i += 6;
			}
			m = utf8_put(u, u8);
		}
		for (j = 0; j < m; j++, k++)
			if (k < cap)
				out[k] = (char)u8[j];
	}
	*n = k;
}

/*
 * Past the value at s->i of a text that passed jsonio_check: only the
 * brackets and the strings' ends need finding.
 */
static void
scan_skip(struct scan *s)
{
	int	 depth = 0;
	char	 c;

	do {
		c = s->p[s->i++];
		if (c == '"') {
			while ((c = s->p[s->i++]) != '"')
				if (c == '\\')
					s->i++;
		} else if (c == '[' || c == '{')
			depth++;
		else if (c == ']' || c == '}')
			depth--;
		else if (depth == 0)	/* a number or a literal */
			while (s->i < s->n &&
			    strchr(",]} \t\r\n", s->p[s->i]) == NULL)
				s->i++;
	} while (depth > 0);
}

/*
 * The member name at s->i, then past the ':' after it: the index in
 * names[0..nn) of the one it is, or nn.
 */
static size_t
scan_name(struct scan *s, const char *const *names, size_t nn)
{
	char	 name[64];
	char	*nul;
	size_t	 n, k;

	scan_decode(s, name, sizeof(name), &n);
	/* json-c's names are C strings: cut at a NUL byte */
	if ((nul = memchr(name, '\0', n < sizeof(name) ? n : sizeof(name))) !=
	    NULL)
		n = (size_t)(nul - name);
	scan_ws(s);
	s->i++;
	scan_ws(s);
	for (k = 0; k < nn; k++)
		if (n == strlen(names[k]) && n <= sizeof(name) &&
		    memcmp(name, names[k], n) == 0)
			break;
	return k;
}

/* Past the ',' or the closing bracket; 1 if that was the closing one. */
static int
scan_next(struct scan *s)
{
	scan_ws(s);
	return s->p[s->i++] != ',';
}

/* Past the opening bracket; 1 if the container is empty (and past it). */
static int
scan_open(struct scan *s)
{
	s->i++;
	scan_ws(s);
	if (s->p[s->i] != '}' && s->p[s->i] != ']')
		return 0;
	s->i++;
	return 1;
}

/*
 * One element's string members named in f, as jsonio_str finds them in
 * json-c's object: the last of repeated names counts; missing, of another
 * type or holding a NUL byte, NULL.  Decoded into the arena.
 */
static void
rows_element(struct scan *s, const char *const *names, struct jsonio_field *f,
    size_t nf, char *arena, size_t *used)
{
	char	*v;
	size_t	 k, n;

	for (k = 0; k < nf; k++) {
		f[k].s = NULL;
		f[k].len = 0;
	}
	if (s->p[s->i] != '{') {
		scan_skip(s);
		return;
	}
	if (scan_open(s))
		return;
	do {
		scan_ws(s);
		if ((k = scan_name(s, names, nf)) == nf ||
		    s->p[s->i] != '"') {
			if (k < nf)
				f[k].s = NULL;
			scan_skip(s);
			continue;
		}
		v = arena + *used;
		scan_decode(s, v, (size_t)-1, &n);
		v[n] = '\0';
		*used += n + 1;
		f[k].s = memchr(v, '\0', n) == NULL ? v : NULL;
		f[k].len = n;
	} while (!scan_next(s));
}

/*
 * The array in member name of buf's top-level object, element by element,
 * without a json-c tree; buf passed jsonio_check.  fn gets each element's
 * index and its string members f (see rows_element), which live in
 * *arena (the caller's to free, also on error).  Past max elements:
 * JSONIO_ROWS_TOOMANY, before the one past max is read.
 */
enum jsonio_rows
jsonio_rows(const char *buf, size_t len, const char *name,
    struct jsonio_field *f, size_t nf, size_t max, jsonio_row_fn fn,
    void *arg, char **arena, size_t *count)
{
	struct scan	 s = { buf, 0, len, 0 };
	const char	*names[JSONIO_ROWS_FIELDS];
	size_t		 at = 0, used = 0, n = 0, k;

	*arena = NULL;
	*count = 0;
	if (nf > JSONIO_ROWS_FIELDS)
		return JSONIO_ROWS_NOARRAY;
	for (k = 0; k < nf; k++)
		names[k] = f[k].key;
	scan_ws(&s);
	if (s.p[s.i] != '{')
		return JSONIO_ROWS_NOARRAY;
	if (!scan_open(&s)) {
		do {
			scan_ws(&s);
			if (scan_name(&s, &name, 1) == 0)
				at = s.i;	/* json-c keeps the last */
			scan_skip(&s);
		} while (!scan_next(&s));
	}
	if (at == 0 || buf[at] != '[')
		return JSONIO_ROWS_NOARRAY;
	/* decoded, each string is shorter than its quoted text */
	*arena = xmalloc(len + 1);
	s.i = at;
	if (scan_open(&s))
		return JSONIO_ROWS_OK;
	do {
		if (n == max)
			return JSONIO_ROWS_TOOMANY;
		scan_ws(&s);
		rows_element(&s, names, f, nf, *arena, &used);
		fn(arg, n++, f, nf);
		*count = n;
	} while (!scan_next(&s));
	return JSONIO_ROWS_OK;
}

/*
 * The first member name that the top-level object of buf repeats, as a
 * string owned by the caller, or NULL if none repeats (or buf is not an
 * object).  json-c keeps only the last of the members with one name;
 * APIs whose members are arguments must refuse the others.  buf must
 * have passed jsonio_parse().
 */
char *
jsonio_dup_member(const char *buf, size_t len)
{
	struct scan		 sc = { buf, 0, len, 0 };
	struct json_tokener	*tok;
	json_object		*seen, *k;
	char			*dup = NULL;
	size_t			 start;

	scan_ws(&sc);
	if (sc.i >= sc.n || buf[sc.i] != '{')
		return NULL;
	sc.i++;
	if ((tok = json_tokener_new()) == NULL)
		return NULL;
	seen = json_object_new_object();
	for (;;) {
		scan_ws(&sc);
		if (sc.i >= sc.n || buf[sc.i] != '"')
			break;
		start = sc.i;
		if (scan_string(&sc) == -1)
			break;
		json_tokener_reset(tok);
		k = json_tokener_parse_ex(tok, buf + start, (int)(sc.i - start));
		if (k == NULL || !json_object_is_type(k, json_type_string)) {
			json_object_put(k);
			break;
		}
		if (json_object_object_get_ex(seen, json_object_get_string(k),
		    NULL)) {
			dup = xstrdup(json_object_get_string(k));
			json_object_put(k);
			break;
		}
		json_object_object_add(seen, json_object_get_string(k), NULL);
		json_object_put(k);
		scan_ws(&sc);
		if (sc.i >= sc.n || buf[sc.i++] != ':')
			break;
		scan_ws(&sc);
		if (scan_value(&sc) == -1)
			break;
		scan_ws(&sc);
		if (sc.i >= sc.n || buf[sc.i++] != ',')
			break;
	}
	json_object_put(seen);
	json_tokener_free(tok);
	return dup;
}

/*
 * A string member.  Strings holding a NUL byte count as the wrong type:
 * nothing downstream (libpq, libscrypt) can carry them faithfully.
 */
enum jsonio_get
jsonio_str(json_object *obj, const char *key, const char **s, size_t *len)
{
	json_object	*v;
	size_t		 n;

	if (!json_object_object_get_ex(obj, key, &v))
		return JSONIO_MISSING;
	if (!json_object_is_type(v, json_type_string))
		return JSONIO_BADTYPE;
	*s = json_object_get_string(v);
	n = (size_t)json_object_get_string_len(v);
	if (strlen(*s) != n)
		return JSONIO_BADTYPE;
	if (len != NULL)
		*len = n;
	return JSONIO_OK;
}

/* n bytes of s escaped as json-c escapes strings (/ kept), no quotes. */
static void
add_escaped(struct buf *b, const char *s, size_t n)
{
	static const char	 set[] = "\b\n\r\t\f\"\\", rep[] = "bnrtf\"\\";
	static const char	 hex[] = "0123456789abcdef";
	const char		*p;
	size_t			 i, from = 0;
	unsigned char		 c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_add(b, s + from, i - from);
		from = i + 1;
		buf_addc(b, '\\');
		if ((p = memchr(set, c, sizeof(set) - 1)) != NULL)
			buf_addc(b, rep[p - set]);
		else {
			buf_add(b, "u00", 3);
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 0xf]);
		}
	}
	buf_add(b, s + from, n - from);
}

/*
 * s as a JSON string appended to b, escaped byte for byte as jsonio_dump
 * escapes it, for replies too large to build as json-c objects.
 */
void
jsonio_buf_str(struct buf *b, const char *s, size_t n)
{
	buf_addc(b, '"');
	add_escaped(b, s, n);
	buf_addc(b, '"');
}

/* Compact output with '/' unescaped; the buffer belongs to obj. */
const char *
jsonio_dump(json_object *obj)
{
	return json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
}

void
jsonio_add_str(struct buf *b, const char *s)
{
	jsonio_buf_str(b, s, strlen(s));
}

/* A member's name: "key": after a comma unless it is the first. */
void
jsonio_add_member(struct buf *b, int first, const char *key)
{
	if (!first)
		buf_addc(b, ',');
	jsonio_add_str(b, key);
	buf_addc(b, ':');
}

void
jsonio_add_pair(struct buf *b, int first, const char *key, const char *val)
{
	jsonio_add_member(b, first, key);
	jsonio_add_str(b, val);
}

/* "key":"local@host" */
void
jsonio_add_jid(struct buf *b, int first, const char *key, const char *local,
    const char *host)
{
	jsonio_add_member(b, first, key);
	buf_addc(b, '"');
	add_escaped(b, local, strlen(local));
	buf_addc(b, '@');
	add_escaped(b, host, strlen(host));
	buf_addc(b, '"');
}
