/* users: the account store (SQL for users and their email). */
#ifndef USERS_H
#define USERS_H

#include "db.h"
#include "jid.h"
#include "password.h"

#define USERS_ID_LEN	24	/* a bigint in decimal, and its NUL */

/*
 * Set on a user whose hash came from the auth cache, not from the row:
 * the statements that take the user then answer only while the row
 * still holds that hash (DB_STALE otherwise) and fill this in.
 */
struct user_check {
	int	read;		/* a statement has checked the row */
	int	stale;		/* the row is gone, disabled or rehashed */
	long	seen_age;	/* as struct user's, from the row */
};

struct user {
	char	id[USERS_ID_LEN];
	char	local[JID_LOCAL_MAX + 1];
	char	host[JID_HOST_MAX + 1];
	char	hash[PASSWORD_MCF_MAX];
	int	disabled;
	int	seen_known;	/* seen_age is set: users_get read last_seen */
	long	seen_age;	/* seconds since last_seen, -1 when never */
	struct user_check *check;	/* NULL: the row was read */
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

/*
 * For statements that check a cached hash: the users row as "me"
 * ($1 id, $2 hash), and what the row says, taken from a result.
 */
#define USERS_CHECK \
	"me AS (SELECT id, coalesce(floor(extract(epoch FROM now() -" \
	" last_seen))::bigint, -1) AS seen FROM users WHERE id = $1::bigint" \
	" AND password_hash = $2::text AND NOT disabled)"
enum db_status	users_check_take(const struct user *, PGresult *, int);

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
enum db_status	users_count(const char *, long *);
enum db_status	users_active_count(const char *, long long, long *);
enum db_status	users_delete_old(const char *, long long, users_fn, void *);
enum db_status	users_ban_details(const char *, const char *, int *, char *,
		    size_t, char *, size_t);

#endif
