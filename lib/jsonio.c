/* jsonio: bounded JSON parsing and typed field access over json-c. */
#include <string.h>

#include "jsonio.h"

/*
 * Strict RFC 8259 input, valid UTF-8, nesting at most JSONIO_MAX_DEPTH,
 * nothing but white space after the value.  Size is bounded earlier, by
 * the request's CONTENT_LENGTH check.
 */
int
jsonio_parse(const char *buf, size_t len, json_object **out)
{
	struct json_tokener	*tok;
	json_object		*obj = NULL;
	size_t			 off;
	int			 rc = -1;

	*out = NULL;
	if (buf == NULL || len == 0 || len > (size_t)0x7fffffff)
		return -1;
	if ((tok = json_tokener_new_ex(JSONIO_MAX_DEPTH)) == NULL)
		return -1;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, buf, (int)len);
	if (obj == NULL || json_tokener_get_error(tok) != json_tokener_success)
		goto out;
	for (off = json_tokener_get_parse_end(tok); off < len; off++)
		if (buf[off] != ' ' && buf[off] != '\t' && buf[off] != '\r' &&
		    buf[off] != '\n')
			goto out;
	*out = obj;
	obj = NULL;
	rc = 0;
out:
	json_object_put(obj);
	json_tokener_free(tok);
	return rc;
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

/* Compact output with '/' unescaped; the buffer belongs to obj. */
const char *
jsonio_dump(json_object *obj)
{
	return json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
}
