/* vcard: a vCard per account; FN, NICKNAME and PHOTO are the profile's. */
#ifndef VCARD_H
#define VCARD_H

#include "db.h"

enum vcard_field {
	VCARD_FIELD,		/* stored in vcard_fields */
	VCARD_NAME,		/* FN or NICKNAME: the display name */
	VCARD_PHOTO,		/* PHOTO or PHOTO/EXTVAL: the avatar URL */
};

typedef void	(*vcard_fn)(void *, const char *);

enum vcard_field vcard_field(const char *, const char *);
enum db_status	vcard_get(const char *, const char *, const char *,
		    vcard_fn, void *, int *);
enum db_status	vcard_set(const char *, const char *, const char *,
		    const char *);

#endif
