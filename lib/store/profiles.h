/* profiles: display names, avatar URLs, roles and the user directory. */
#ifndef PROFILES_H
#define PROFILES_H

#include <stddef.h>

#include "config.h"
#include "db.h"
#include "threepids.h"

#define PROFILE_NAME_MAX	256
#define PROFILE_AVATAR_MAX	1024
#define PROFILE_ROLE_MAX	255

struct profile {
	char	*display_name;	/* NULL when unset */
	char	*avatar_url;	/* NULL when unset */
};

enum profiles_by {
	PROFILES_BY_NAME,
	PROFILES_BY_THREEPID,
};

/* A role, or a directory hit: localpart, display name, avatar (or NULL). */
typedef void	(*profiles_role_fn)(void *, const char *);
typedef void	(*profiles_hit_fn)(void *, const char *, const char *,
		    const char *);

enum db_status	profiles_get(const char *, struct profile *);
enum db_status	profiles_get_threepids(const char *, struct profile *,
		    threepids_fn, void *);
void		profiles_free(struct profile *);
enum db_status	profiles_set_display_name(const char *, const char *, int *);
enum db_status	profiles_set_avatar(const char *, const char *, int *);
enum db_status	profiles_roles(const char *, profiles_role_fn, void *);
enum db_status	profiles_add_role(const char *, const char *, int *);
enum db_status	profiles_remove_role(const char *, const char *, int *);
enum db_status	profiles_search(enum profiles_by, const char *,
		    const struct strlist *, long, profiles_hit_fn, void *,
		    int *);

#endif
