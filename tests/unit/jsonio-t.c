/* jsonio: the strict parser's limits and typed field access. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"
#include "tap.h"

static int
parses(const char *s)
{
	json_object	*o;
	int		 rc;

	rc = jsonio_parse(s, strlen(s), &o);
	json_object_put(o);
	return rc == 0;
}

/* depth N: N nested arrays around a 1. */
static int
nested(int n)
{
	char	*s;
	int	 i, rc;

	if ((s = malloc(2 * (size_t)n + 2)) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		s[i] = '[';
		s[n + 1 + i] = ']';
	}
	s[n] = '1';
	s[2 * n + 1] = '\0';
	rc = parses(s);
	free(s);
	return rc;
}

/* jsonio_buf_str's text equals jsonio_dump's for the same n bytes. */
static int
same_str(const char *s, size_t n)
{
	struct buf	 b = { NULL, 0, 0 };
	json_object	*o = json_object_new_string_len(s, (int)n);
	int		 rc;

	jsonio_buf_str(&b, s, n);
	buf_addc(&b, '\0');
	rc = strcmp(b.p, jsonio_dump(o)) == 0;
	buf_free(&b);
	json_object_put(o);
	return rc;
}

/* The writer against json-c on s as a string member and a JID. */
static int
writes_as_json_c(const char *s)
{
	json_object	*o = json_object_new_object();
	struct buf	 b = { NULL, 0, 0 };
	char		*jid;
	int		 rc;

	jid = xasprintf("%s@%s", s, s);
	json_object_object_add(o, "k", json_object_new_string(s));
	json_object_object_add(o, "j", json_object_new_string(jid));
	json_object_object_add(o, "n", json_object_new_int64(-12345678901234LL));
	buf_addc(&b, '{');
	jsonio_add_pair(&b, 1, "k", s);
	jsonio_add_jid(&b, 0, "j", s, s);
	jsonio_add_member(&b, 0, "n");
	buf_addf(&b, "%lld", -12345678901234LL);
	buf_addc(&b, '}');
	rc = strcmp(b.p, jsonio_dump(o)) == 0;
	if (!rc)
		fprintf(stderr, "# writer %s\n# json-c %s\n", b.p,
		    jsonio_dump(o));
	json_object_put(o);
	buf_free(&b);
	free(jid);
	return rc;
}

/* What jsonio_rows hands over, written down: one line per element. */
static void
rows_note(void *arg, size_t i, const struct jsonio_field *f, size_t nf)
{
	struct buf	*b = arg;
	size_t		 k;

	buf_addf(b, "%zu:", i);
	for (k = 0; k < nf; k++)
		if (f[k].s == NULL)
			buf_adds(b, " -");
		else {
			buf_addc(b, ' ');
			jsonio_buf_str(b, f[k].s, f[k].len);
		}
	buf_addc(b, '\n');
}

/*
 * jsonio_rows on s ({"l":[...]}, members "a" and "b") against json-c's
 * tree read with jsonio_str: the same elements, the same strings.
 */
static int
rows_as_json_c(const char *s)
{
	struct jsonio_field	 f[] = { { "a", NULL, 0 }, { "b", NULL, 0 } };
	struct buf		 got = { NULL, 0, 0 }, want = { NULL, 0, 0 };
	json_object		*o = NULL, *arr, *e;
	const char		*v;
	char			*arena = NULL;
	size_t			 i, k, n, len;
	int			 rc = 0;

	if (jsonio_parse(s, strlen(s), &o) == -1 ||
	    !json_object_object_get_ex(o, "l", &arr) ||
	    jsonio_rows(s, strlen(s), "l", f, 2, 100, rows_note, &got,
	    &arena, &n) != JSONIO_ROWS_OK ||
	    n != json_object_array_length(arr))
		goto out;
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(arr, i);
		buf_addf(&want, "%zu:", i);
		for (k = 0; k < 2; k++)
			if (!json_object_is_type(e, json_type_object) ||
			    jsonio_str(e, f[k].key, &v, &len) != JSONIO_OK)
				buf_adds(&want, " -");
			else {
				buf_addc(&want, ' ');
				jsonio_buf_str(&want, v, len);
			}
		buf_addc(&want, '\n');
	}
	rc = n == 0 ? got.len == 0 : strcmp(got.p, want.p) == 0;
	if (!rc)
		fprintf(stderr, "# rows   %s# json-c %s", got.p, want.p);
out:
	json_object_put(o);
	free(arena);
	buf_free(&got);
	buf_free(&want);
	return rc;
}

/* jsonio_rows' answer on s, with at most max elements. */
static enum jsonio_rows
rows_of(const char *s, size_t max, size_t *n)
{
	struct jsonio_field	 f[] = { { "a", NULL, 0 } };
	struct buf		 b = { NULL, 0, 0 };
	char			*arena;
	enum jsonio_rows	 rc;

	rc = jsonio_rows(s, strlen(s), "l", f, 1, max, rows_note, &b, &arena,
	    n);
	free(arena);
	buf_free(&b);
	return rc;
}

int
main(void)
{
	json_object	*o;
	const char	*s;
	char		 c[3];
	char		 one[4] = { 0 };
	size_t		 n;
	int		 i, bad;

	ok(parses("{\"a\":\"b\"}"), "object");
	ok(parses(" [1, 2.5e3, -0, true, false, null] \n"), "array, white space");
	ok(parses("\"x\""), "top-level string");
	ok(parses("3") && parses(" 3 ") && parses("-0"),
	    "top-level numbers, with or without white space after them");
	ok(!parses(""), "empty input");
	ok(!parses("   "), "white space only");
	ok(!parses("{\"a\":1} x"), "trailing garbage");
	ok(!parses("{\"a\":1}{}"), "two values");
	ok(!parses("{'a':1}"), "single quotes");
	ok(!parses("{\"a\":NaN}"), "NaN");
	ok(!parses("{\"a\":01}"), "leading zero");
	ok(!parses("1e999"), "a number that overflows to infinity");
	ok(!parses("{\"a\":-1e400}"), "... or to minus infinity");
	ok(parses("1e308"), "the largest finite doubles still parse");
	ok(parses("1e-400"), "an underflow to zero is finite");
	ok(!parses("1234567890123456789012345678901234567890123456789012345678901"
	    "2345"), "a number token over 64 bytes");
	ok(!parses("{\"a\":1,}"), "trailing comma");
	ok(!parses("{a:1}"), "bare key");
	ok(!parses("\"\x01\""), "control character in a string");
	ok(!parses("\"\xff\""), "invalid UTF-8");
	ok(!parses("\"\xc0\xaf\""), "overlong UTF-8, two bytes");
	ok(!parses("\"\xe0\x80\xaf\""), "overlong UTF-8, three bytes");
	ok(!parses("\"\xf0\x80\x80\xaf\""), "overlong UTF-8, four bytes");
	ok(!parses("\"\xed\xa0\x80\""), "UTF-8 surrogate");
	ok(!parses("\"\xf4\x90\x80\x80\""), "UTF-8 above U+10FFFF");
	ok(!parses("\"\xe2\x82\""), "truncated UTF-8 sequence");
	ok(!parses("\"\x80\""), "UTF-8 continuation byte alone");
	ok(parses("\"\xed\x9f\xbf\xee\x80\x80\xf4\x8f\xbf\xbf\""),
	    "UTF-8 around the surrogates and at U+10FFFF");
	ok(parses("\"caf\xc3\xa9\""), "valid UTF-8");
	ok(parses("\"\\u00e9\\ud83d\\ude00\""), "escapes and a surrogate pair");
	ok(!parses("\"\\ud800\""), "lone high surrogate escape");
	ok(!parses("\"\\udc00\""), "lone low surrogate escape");
	ok(!parses("\"\\ud83d x\""), "high surrogate, then text");
	ok(!parses("\"\\ud83d\\u0041\""), "high surrogate, then no low one");
	ok(!parses("\"\\ude00\\ud83d\""), "the pair reversed");
	ok(!parses("{\"\\udfff\":1}"), "lone surrogate in a member name");
	ok(parses("\"\\uDBFF\\uDFFF\""), "the last pair, upper case");
	ok(parses("\"\\ud7ff\\ue000\""), "around the surrogates");
	ok(nested(JSONIO_MAX_DEPTH), "nesting at the limit");
	ok(!nested(JSONIO_MAX_DEPTH + 1), "nesting one over the limit");
	ok(!nested(10000), "very deep nesting");
	ok(jsonio_parse(NULL, 0, &o) == -1 && o == NULL, "NULL input");

	s = "{\"s\":\"v\",\"n\":1,\"z\":null,\"nul\":\"a\\u0000b\"}";
	ok(jsonio_parse(s, strlen(s), &o) == 0, "fields");
	is_int(jsonio_str(o, "s", &s, &n), JSONIO_OK, "string field");
	is_str(s, "v", "its value");
	is_int(n, 1, "its length");
	is_int(jsonio_str(o, "x", &s, &n), JSONIO_MISSING, "missing field");
	is_int(jsonio_str(o, "n", &s, &n), JSONIO_BADTYPE, "number field");
	is_int(jsonio_str(o, "z", &s, &n), JSONIO_BADTYPE, "null field");
	is_int(jsonio_str(o, "nul", &s, &n), JSONIO_BADTYPE,
	    "string with a NUL byte");
	json_object_put(o);

	o = json_object_new_object();
	json_object_object_add(o, "u", json_object_new_string("a/b\"c"));
	is_str(jsonio_dump(o), "{\"u\":\"a/b\\\"c\"}", "compact dump, / kept");
	json_object_put(o);

	/* jsonio_buf_str writes every byte as jsonio_dump writes it */
	for (i = 0, bad = 0; i < 256; i++) {
		c[0] = 'a';
		c[1] = (char)i;
		c[2] = 'z';
		if (!same_str(c, 3))
			bad++;
	}
	is_int(bad, 0, "buf_str: each byte value between two letters");
	s = "caf\xc3\xa9 \"q\" \\ / \x01\x1f\x7f\n\t\r\b\f";
	ok(same_str(s, strlen(s)), "buf_str: UTF-8, quotes, controls");
	ok(same_str("", 0), "buf_str: empty");
	for (i = 1, bad = 0; i < 256; i++) {
		one[0] = (char)i;
		one[1] = 'x';
		one[2] = (char)i;
		bad += !writes_as_json_c(one);
	}
	is_int(bad, 0, "the writer escapes every byte as json-c does");
	ok(writes_as_json_c(""), "the writer: an empty string");
	ok(writes_as_json_c("a\"b\\c/d\n\x01\x1f\x7f \xc3\xa9 \xf0\x9f\x98\x80"),
	    "the writer: quotes, controls, UTF-8");
	/* jsonio_rows reads what json-c reads */
	ok(rows_as_json_c("{\"l\":[]}"), "rows: empty array");
	ok(rows_as_json_c("{\"l\":[{\"a\":\"x\",\"b\":\"y\"},{\"b\":\"z\"}]}"),
	    "rows: plain members, one missing");
	ok(rows_as_json_c("{\"l\":[1,\"a\",null,[],{},[{\"a\":\"x\"}],true]}"),
	    "rows: elements that are no objects");
	ok(rows_as_json_c("{\"l\":[{\"a\":\"x\",\"a\":\"y\",\"b\":1,\"b\":\"z\"},"
	    "{\"a\":\"x\",\"a\":2}]}"), "rows: repeated members, last counts");
	ok(rows_as_json_c("{\"l\":[{\"a\":7,\"b\":null},{\"a\":[\"x\"],"
	    "\"b\":{\"a\":\"y\"}},{\"a\":\"x\\u0000y\",\"b\":\"\\u0000\"}]}"),
	    "rows: wrong types and NUL bytes");
	ok(rows_as_json_c("{\"x\":[\"]\",{\"l\":[1]}],\"l\":[{\"\\u0061\":"
	    "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\",\"b\\u0000\":\"w\",\"b\":\"\"}],"
	    "\"y\":\"}\"}"), "rows: escapes in names and values, other members");
	ok(rows_as_json_c("{\"l\":[{\"a\":\"x\",\"a\\u0000y\":\"z\"}]}") &&
	    rows_as_json_c("{\"l\":[1],\"l\\u0000\":[{\"a\":\"x\"}]}"),
	    "rows: names cut at a NUL byte, as json-c does");
	ok(rows_as_json_c(" {\n\"l\" :\t[ {\"a\" : \"x\" } , { } ]\r\n} "),
	    "rows: white space");
	ok(rows_as_json_c("{\"l\":[{\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaa\":\"long\",\"a\":\"x\"}]}"),
	    "rows: a long member name is not \"a\"");
	for (i = 1, bad = 0; i < 0x10000; i += (i < 0x800 ? 1 : 0x3f)) {
		char	 doc[64];

		if (i >= 0xd800 && i <= 0xdfff)
			continue;
		(void)snprintf(doc, sizeof(doc),
		    "{\"l\":[{\"a\":\"<\\u%04x>\",\"b\":\"\\u%04X\"}]}", i, i);
		bad += !rows_as_json_c(doc);
	}
	is_int(bad, 0, "rows: \\u escapes decoded as json-c decodes them");
	ok(rows_as_json_c("{\"l\":[{\"a\":\"\\ud83d\\ude00\",\"b\":"
	    "\"\\udbff\\udfff\\ud800\\udc00\"},{\"a\":\"caf\xc3\xa9\"}]}"),
	    "rows: surrogate pairs and raw UTF-8");
	ok(rows_as_json_c("{\"l\":\"x\",\"l\":[{\"a\":\"x\"}]}"),
	    "rows: the last of repeated arrays");
	is_int(rows_of("{\"l\":[{\"a\":\"x\"}],\"l\":7}", 10, &n),
	    JSONIO_ROWS_NOARRAY, "rows: the last one is no array");
	is_int(rows_of("{\"m\":[]}", 10, &n), JSONIO_ROWS_NOARRAY,
	    "rows: no such member");
	is_int(rows_of("[{\"l\":[]}]", 10, &n), JSONIO_ROWS_NOARRAY,
	    "rows: no object");
	is_int(rows_of("{\"l\":[1,2,3]}", 3, &n), JSONIO_ROWS_OK,
	    "rows: max elements");
	is_int(n, 3, "... all counted");
	is_int(rows_of("{\"l\":[1,2,3,4]}", 3, &n), JSONIO_ROWS_TOOMANY,
	    "rows: one past max");
	is_int(n, 3, "... refused before the one past max is read");
	return done_testing();
}
