/* jsonio: bounded JSON parsing and typed field access over json-c. */
#ifndef JSONIO_H
#define JSONIO_H

#include <stddef.h>

#include <json-c/json.h>

#include "util.h"

#define JSONIO_MAX_DEPTH	32
#define JSONIO_NUMBER_MAX	64	/* bytes in one number token */

enum jsonio_get {
	JSONIO_OK = 0,
	JSONIO_MISSING,
	JSONIO_BADTYPE,
};

int			 jsonio_check(const char *, size_t);
int			 jsonio_parse(const char *, size_t, json_object **);
char			*jsonio_dup_member(const char *, size_t);
enum jsonio_get		 jsonio_str(json_object *, const char *,
			    const char **, size_t *);
const char		*jsonio_dump(json_object *);

/*
 * Long flat lists read straight from the text, for requests too large to
 * build as objects first: {"name":[{"key":"value",…},…]}.
 */
#define JSONIO_ROWS_FIELDS	8

struct jsonio_field {
	const char	*key;	/* the member's name, set by the caller */
	const char	*s;	/* its string value, or NULL */
	size_t		 len;
};

enum jsonio_rows {
	JSONIO_ROWS_OK = 0,
	JSONIO_ROWS_NOARRAY,	/* no object, or name holds no array */
	JSONIO_ROWS_TOOMANY,
};

typedef void	(*jsonio_row_fn)(void *, size_t, const struct jsonio_field *,
		    size_t);

enum jsonio_rows	 jsonio_rows(const char *, size_t, const char *,
			    struct jsonio_field *, size_t, size_t,
			    jsonio_row_fn, void *, char **, size_t *);

/*
 * Replies written straight into a buffer, byte for byte as jsonio_dump
 * writes them, for lists too long to build as objects first.
 */
void			 jsonio_buf_str(struct buf *, const char *, size_t);
void			 jsonio_add_str(struct buf *, const char *);
void			 jsonio_add_member(struct buf *, int, const char *);
void			 jsonio_add_pair(struct buf *, int, const char *,
			    const char *);
void			 jsonio_add_jid(struct buf *, int, const char *,
			    const char *, const char *);

#endif
