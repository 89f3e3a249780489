/* users: the account store (SQL for users and their email). */
#ifndef USERS_H
#define USERS_H

#include "db.h"
#include "jid.h"
#include "password.h"

#define USERS_ID_LEN	24	/* a bigint in decimal, and its NUL */

struct user {
	char	id[USERS_ID_LEN];
	char	local[JID_LOCAL_MAX + 1];
	char	host[JID_HOST_MAX + 1];
	char	hash[PASSWORD_MCF_MAX];
	int	disabled;
	int	seen_known;	/* seen_age is set: users_get read last_seen */
	long	seen_age;	/* seconds since last_seen, -1 when never */
};

/* DB_OK with *found set; other statuses are database failures. */
enum db_status	users_get(const char *, const char *, struct user *, int *);
enum db_status	users_registered(const char *, const char *, int *);
enum db_status	users_create(const char *, const char *, const char *,
		    char [USERS_ID_LEN], int *);
enum db_status	users_delete(const struct user *, int *);
enum db_status	users_set_hash(const struct user *, const char *, int *);
enum db_status	users_force_hash(const char *, const char *, const char *,
		    int *);

/* Administration (chatrest-admin). */
typedef void	(*users_fn)(void *, const char *, const char *);
enum db_status	users_remove(const char *, const char *, int *);
enum db_status	users_list(const char *, users_fn, void *);
enum db_status	users_connected(long, users_fn, void *);
enum db_status	users_connected_count(long, long long *);
enum db_status	users_set_display_name(const char *, const char *,
		    const char *, int *);
enum db_status	users_set_disabled(const char *, const char *, int,
		    const char *, int *);

#endif
