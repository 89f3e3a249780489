/* barertc: Go's decoder error texts, field matching and string escaping. */
#include <stdlib.h>
#include <string.h>

#include "barertc.h"
#include "tap.h"

static const char *
decode(const char *in)
{
	static char	 err[BARERTC_ERR_MAX];
	json_object	*o = NULL;

	if (barertc_decode(in, strlen(in), &o, err, sizeof(err)) == 0)
		(void)snprintf(err, sizeof(err), "ok");
	json_object_put(o);
	return err;
}

static const char *
escaped(const char *in, size_t n)
{
	static struct buf	 b;

	buf_reset(&b);
	barertc_str(&b, in, n);
	return b.p;
}

int
main(void)
{
	static const char *const vec[][2] = {
		{ "", "EOF" },
		{ " \r\n\t", "EOF" },
		{ "{", "unexpected EOF" },
		{ "{\"a\":\"b", "unexpected EOF" },
		{ "{\"a\":-", "unexpected EOF" },
		{ "{\"a\":1,}",
		    "invalid character '}' looking for beginning of object key string" },
		{ "{,}",
		    "invalid character ',' looking for beginning of object key string" },
		{ "{\"a\" 1}", "invalid character '1' after object key" },
		{ "{\"a\":1 \"b\":2}",
		    "invalid character '\"' after object key:value pair" },
		{ "[1 2]", "invalid character '2' after array element" },
		{ "{\"a\":x}", "invalid character 'x' looking for beginning of value" },
		{ "{\"a\":nul}", "invalid character '}' in literal null (expecting 'l')" },
		{ "{\"a\":fals}", "invalid character '}' in literal false (expecting 'e')" },
		{ "{\"a\":-x}", "invalid character 'x' in numeric literal" },
		{ "{\"a\":1e}", "invalid character '}' in exponent of numeric literal" },
		{ "{\"a\":01}", "invalid character '1' after object key:value pair" },
		{ "{\"a\":\"\\x\"}", "invalid character 'x' in string escape code" },
		{ "{\"a\":\"\\u12g4\"}",
		    "invalid character 'g' in \\u hexadecimal character escape" },
		{ "{\"a\":\"\t\"}", "invalid character '\\t' in string literal" },
		{ "{\"a\":'b'}", "invalid character '\\'' looking for beginning of value" },
		{ "\x01", "invalid character '\\x01' looking for beginning of value" },
		{ "\xc3", "invalid character '\xc3\x83' looking for beginning of value" },
		{ "\x85", "invalid character '\\u0085' looking for beginning of value" },
		{ "5", "json: cannot unmarshal number into Go value of type barertc.request" },
		{ "\"s\"", "json: cannot unmarshal string into Go value of type barertc.request" },
		{ "true", "json: cannot unmarshal bool into Go value of type barertc.request" },
		{ "null", "ok" },
		{ "{} {", "ok" },
		{ "{}x", "ok" },
		{ " {\"a\":[1.5e+3,{\"b\":null}]} ", "ok" },
	};
	static const struct barertc_field f[] = {
		{ "APIKey", BK_STRING }, { "apikey", BK_STRING },
		{ "Kick", BK_BOOL }, { "Names", BK_STRINGS },
	};
	json_object	*o, *v[4];
	char		 err[BARERTC_ERR_MAX];
	struct buf	 b = { NULL, 0, 0 };
	const char	*names[] = { "a", "b<" };
	size_t		 i;

	for (i = 0; i < sizeof(vec) / sizeof(vec[0]); i++)
		is_str(decode(vec[i][0]), vec[i][1], vec[i][0]);

	/* An exact match first, then any case; the last occurrence wins. */
	ok(barertc_decode("{\"APIKEY\":\"x\",\"apikey\":\"y\",\"KICK\":true}",
	    52, &o, err, sizeof(err)) == 0, "decodes");
	ok(barertc_fields(o, "request", f, 4, v, err, sizeof(err)) == 0,
	    "fields match");
	is_str(json_object_get_string(v[0]), "x", "APIKEY folds to APIKey");
	is_str(json_object_get_string(v[1]), "y", "exact match preferred");
	ok(v[2] != NULL && json_object_get_boolean(v[2]), "KICK is Kick");
	ok(v[3] == NULL, "absent field");
	json_object_put(o);
	ok(barertc_decode("{\"Kick\":\"yes\"}", 14, &o, err, sizeof(err)) == 0 &&
	    barertc_fields(o, "request", f, 4, v, err, sizeof(err)) == -1,
	    "type error");
	is_str(err, "json: cannot unmarshal string into Go struct field "
	    "request.Kick of type bool", "type error text");
	json_object_put(o);
	ok(barertc_decode("{\"Names\":{}}", 12, &o, err, sizeof(err)) == 0 &&
	    barertc_fields(o, "request", f, 4, v, err, sizeof(err)) == -1,
	    "object for []string");
	is_str(err, "json: cannot unmarshal object into Go struct field "
	    "request.Names of type []string", "slice type error text");
	json_object_put(o);

	is_str(escaped("a\"b\\c", 5), "\"a\\\"b\\\\c\"", "quote, backslash");
	is_str(escaped("<&>", 3), "\"\\u003c\\u0026\\u003e\"", "HTML-safe");
	is_str(escaped("\n\r\t\b\f\x01\x7f", 7),
	    "\"\\n\\r\\t\\b\\f\\u0001\x7f\"", "control characters");
	is_str(escaped("\xe2\x80\xa8\xe2\x80\xa9\xc3\xa9", 8),
	    "\"\\u2028\\u2029\xc3\xa9\"", "U+2028, U+2029 escaped, others kept");

	barertc_begin(&b);
	barertc_key(&b, "OK");
	buf_adds(&b, "true");
	barertc_key(&b, "Names");
	barertc_strings(&b, names, 2);
	barertc_key(&b, "None");
	barertc_strings(&b, names, 0);
	barertc_end(&b);
	is_str(b.p, "{\n  \"OK\": true,\n  \"Names\": [\n    \"a\",\n"
	    "    \"b\\u003c\"\n  ],\n  \"None\": []\n}\n", "indented output");
	buf_free(&b);
	return done_testing();
}
