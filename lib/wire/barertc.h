/*
 * barertc: BareRTC's wire format, which is Go's encoding/json: its
 * decoder's error texts and case-insensitive field matching, its
 * HTML-safe string escaping, and the indented {"OK": …} replies.
 */
#ifndef BARERTC_H
#define BARERTC_H

#include <stddef.h>

#include <json-c/json.h>

#include "request.h"
#include "response.h"
#include "util.h"

#define BARERTC_ERR_MAX	256

enum barertc_kind {
	BK_STRING,	/* Go string */
	BK_BOOL,	/* Go bool */
	BK_STRINGS,	/* Go []string */
	BK_OBJECT,	/* a struct: any object */
	BK_NUMDATE,	/* golang-jwt NumericDate: a number */
	BK_AUDIENCE,	/* golang-jwt ClaimStrings: string or []string */
	BK_INT,		/* Go int */
	BK_INT64,	/* Go int64 */
	BK_ARRAY,	/* a slice of structs: any array */
};

struct barertc_field {
	const char		*name;	/* Go field name or JSON tag */
	enum barertc_kind	 kind;
};

int	barertc_decode(const char *, size_t, json_object **, char *, size_t);
int	barertc_fields(json_object *, const char *,
	    const struct barertc_field *, size_t, json_object **, char *,
	    size_t);
void	barertc_str(struct buf *, const char *, size_t);
void	barertc_begin(struct buf *);
void	barertc_key(struct buf *, const char *);
void	barertc_strings(struct buf *, const char *const *, size_t);
void	barertc_end(struct buf *);
void	barertc_send(struct resp *, int, struct buf *);
int	barertc_fail(struct resp *, int, const char *);
int	barertc_error(struct resp *, int);
int	barertc_post(struct req *, json_object **, char *, size_t);

#endif
