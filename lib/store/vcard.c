/*
 * vcard: a vCard per account (SQL).  FN and NICKNAME are the display
 * name and PHOTO (or PHOTO/EXTVAL) the avatar of the identity profile,
 * so the vCard and every front door show one account; other fields are
 * rows of vcard_fields, repeated values ordered by idx.
 */
#include <string.h>

#include "vcard.h"

#define PROFILE_FIELD \
	"(($2 IN ('FN', 'NICKNAME') AND $3 = '') OR" \
	" ($2 = 'PHOTO' AND $3 IN ('', 'EXTVAL')))"

static const struct db_stmt st_get = { "vcard_get",
	"SELECT v FROM ("
	" SELECT 0 AS i, display_name AS v FROM users WHERE id = $1"
	"  AND $2 IN ('FN', 'NICKNAME') AND $3 = '' AND display_name <> ''"
	" UNION ALL SELECT 0, avatar_url FROM users WHERE id = $1"
	"  AND $2 = 'PHOTO' AND $3 IN ('', 'EXTVAL') AND avatar_url <> ''"
	" UNION ALL SELECT idx, value FROM vcard_fields WHERE user_id = $1"
	"  AND name = $2 AND subname = $3 AND NOT " PROFILE_FIELD
	") t ORDER BY i",
	3, DB_IDEMPOTENT };

/* Whether the account has a vCard at all. */
static const struct db_stmt st_any = { "vcard_any",
	"SELECT coalesce(display_name, '') <> '' OR avatar_url IS NOT NULL"
	" OR EXISTS (SELECT 1 FROM vcard_fields WHERE user_id = $1)"
	" FROM users WHERE id = $1",
	1, DB_IDEMPOTENT };

static const struct db_stmt st_set_name = { "vcard_set_name",
	"UPDATE users SET display_name = nullif(($2::text[])[1], ''),"
	" changed_at = now() WHERE id = $1",
	2, 0 };

static const struct db_stmt st_set_photo = { "vcard_set_photo",
	"UPDATE users SET avatar_url = nullif(($2::text[])[1], ''),"
	" changed_at = now() WHERE id = $1",
	2, 0 };

/*
 * Replacements lock the owner's row first, in a statement of their own:
 * the clearing statement then sees the last committed values, so two
 * concurrent replacements end in one of the two, never their union.
 */
static const struct db_stmt st_lock = { "vcard_lock",
	"SELECT 1 FROM users WHERE id = $1 FOR UPDATE", 1, 0 };

/* The field's values replace what it had; no values: no field. */
static const struct db_stmt st_clear = { "vcard_clear",
	"DELETE FROM vcard_fields WHERE user_id = $1 AND name = $2"
	" AND subname = $3",
	3, 0 };

static const struct db_stmt st_set = { "vcard_set",
	"INSERT INTO vcard_fields (user_id, name, subname, idx, value)"
	" SELECT $1, $2, $3, o - 1, v FROM unnest($4::text[])"
	"  WITH ORDINALITY AS t(v, o)",
	4, 0 };

enum vcard_field
vcard_field(const char *name, const char *subname)
{
	if ((strcmp(name, "FN") == 0 || strcmp(name, "NICKNAME") == 0) &&
	    *subname == '\0')
		return VCARD_NAME;
	if (strcmp(name, "PHOTO") == 0 &&
	    (*subname == '\0' || strcmp(subname, "EXTVAL") == 0))
		return VCARD_PHOTO;
	return VCARD_FIELD;
}

/* Each value of the field; *any: whether the account has a vCard. */
enum db_status
vcard_get(const char *uid, const char *name, const char *subname,
    vcard_fn fn, void *ctx, int *any)
{
	const char	*p[] = { uid, name, subname };
	PGresult	*res = NULL;
	enum db_status	 s;
	char		 v[8];
	int		 i, found;

	*any = 0;
	if ((s = db_exec_value(&st_any, p, v, sizeof(v), &found)) != DB_OK)
		return s;
	*any = found && strcmp(v, "t") == 0;
	if ((s = db_exec(&st_get, p, &res)) == DB_OK)
		for (i = 0; i < PQntuples(res); i++)
			fn(ctx, PQgetvalue(res, i, 0));
	PQclear(res);
	return s;
}

/*
 * values: a text[] literal; FN, NICKNAME and PHOTO take the first.  Inside
 * the caller's transaction.
 */
enum db_status
vcard_set(const char *uid, const char *name, const char *subname,
    const char *values)
{
	const char	*p[] = { uid, name, subname, values };
	const char	*q[] = { uid, values };
	enum db_status	 s;

	switch (vcard_field(name, subname)) {
	case VCARD_NAME:
		return db_exec(&st_set_name, q, NULL);
	case VCARD_PHOTO:
		return db_exec(&st_set_photo, q, NULL);
	default:
		if ((s = db_exec(&st_lock, p, NULL)) != DB_OK ||
		    (s = db_exec(&st_clear, p, NULL)) != DB_OK)
			return s;
		return db_exec(&st_set, p, NULL);
	}
}
