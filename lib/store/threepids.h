/* threepids: third-party identifiers (email, msisdn), one owner each. */
#ifndef THREEPIDS_H
#define THREEPIDS_H

#include <stddef.h>

#include "config.h"
#include "db.h"

#define THREEPID_ADDRESS_MAX	320
#define THREEPID_EMAIL_MAX	254

/* One stored 3PID of a user. */
typedef void	(*threepids_fn)(void *, const char *, const char *);
/* A lookup hit: request index, owner's localpart and host. */
typedef void	(*threepids_hit_fn)(void *, size_t, const char *,
		    const char *);

int		threepids_normalise(const char *, const char *, size_t,
		    char [THREEPID_ADDRESS_MAX + 1]);
int		threepids_email_valid(const char *, size_t);
enum db_status	threepids_list(const char *, threepids_fn, void *);
enum db_status	threepids_find(const char *const *, const char *const *,
		    size_t, const struct strlist *, threepids_hit_fn, void *);
enum db_status	threepids_add(const char *, const char *, const char *,
		    int *);
enum db_status	threepids_owned(const char *, const char *, const char *,
		    int *);
enum db_status	threepids_remove(const char *, const char *, const char *,
		    int *);

#endif
