/* roster: contacts with subscription and pending requests (SQL). */
#ifndef ROSTER_H
#define ROSTER_H

#include "db.h"
#include "jid.h"
#include "users.h"

struct roster_state {
	int	 sub_to;	/* the owner sees the contact's presence */
	int	 sub_from;	/* the contact sees the owner's */
	int	 ask_out;	/* the owner asked; not yet answered */
	int	 ask_in;	/* the contact asked; not yet answered */
};

struct roster_item {
	const char		*host, *local;
	struct roster_state	 st;
	const char		*nick, *group;	/* "" for none */
};

typedef void	(*roster_fn)(void *, const struct roster_item *);

const char	*roster_subscription(const struct roster_state *);
const char	*roster_ask(const struct roster_state *);

enum db_status	roster_lock_pair(const char *, const char *);
enum db_status	roster_list(const char *, roster_fn, void *);
enum db_status	roster_get(const char *, const struct jid *,
		    struct roster_state *, int *);
enum db_status	roster_add(const char *, const struct jid *);
enum db_status	roster_put(const char *, const struct jid *,
		    const struct roster_state *);
enum db_status	roster_set_item(const char *, const struct jid *,
		    const struct roster_state *, const char *, const char *);
enum db_status	roster_remove(const char *, const struct jid *, int *);

#endif
