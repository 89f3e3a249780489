/* auth: HTTP Basic credentials and the per-process verification cache. */
#ifndef AUTH_H
#define AUTH_H

#include <stddef.h>

#include "config.h"
#include "request.h"
#include "users.h"

#define AUTH_USER_MAX	(JID_LOCAL_MAX + 1 + JID_HOST_MAX)
#define AUTH_PASS_MAX	PASSWORD_MAX

enum auth_result {
	AUTH_OK,
	AUTH_FAIL,	/* one answer for every failure: no enumeration */
	AUTH_UNAVAIL,	/* the store could not be asked */
};

struct auth_stats {
	unsigned long	 hits;
	unsigned long	 misses;
};

int		 auth_basic_parse(const char *, char *, size_t, char *,
		    size_t *);
int		 auth_verify(const struct config *, const struct user *,
		    const char *, size_t);
enum auth_result auth_password(const struct config *, const char *,
		    const char *, const char *, const char *, size_t,
		    struct user *, long *);
enum auth_result auth_key(struct req *, const char *, const char *, size_t,
		    const char *);
enum auth_result auth_basic(struct req *, struct user *);
enum auth_result auth_basic_cached(struct req *, struct user *);
enum auth_result auth_recheck(struct req *, struct user *);
void		 auth_cache_clear(void);
void		 auth_cache_stats(struct auth_stats *);

#endif
