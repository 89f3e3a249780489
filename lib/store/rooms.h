/* rooms: MUC Light rooms, affiliations and the room archive (SQL). */
#ifndef ROOMS_H
#define ROOMS_H

#include "db.h"
#include "jid.h"
#include "messages.h"
#include "users.h"

#define ROOMS_RID_MAX	JID_LOCAL_MAX

enum rooms_aff {
	ROOMS_NONE,
	ROOMS_MEMBER,
	ROOMS_OWNER,
};

struct room {
	char		 id[24];			/* database key */
	char		 rid[ROOMS_RID_MAX + 1];	/* the JID's localpart */
	enum rooms_aff	 aff;				/* the caller's */
};

struct room_member {
	const char	*host, *local;
	enum rooms_aff	 aff;
};

struct room_summary {
	const char	*rid, *name, *subject;
};

struct room_item {
	const char	*mid;
	long long	 ts_ms;
	int		 affiliation_change;	/* else a message */
	const char	*user_host, *user_local; /* sender or affected user */
	const char	*body;			/* NULL: none */
	int		 markable;
	const char	*marker_type, *marker_id; /* NULL: none */
	enum rooms_aff	 aff;			/* the new affiliation */
};

/* A room as the administration lists it. */
struct room_row {
	struct room	 room;
	const char	*host;
	long		 members;
	int		 has_messages;
	long long	 idle_days;	/* since the last message, or creation */
};

/* Callbacks run once per row; the strings live for the call. */
typedef void	(*rooms_head_fn)(void *, const char *, const char *);
typedef void	(*rooms_summary_fn)(void *, const struct room_summary *);
typedef void	(*rooms_member_fn)(void *, const struct room_member *);
typedef void	(*rooms_item_fn)(void *, const struct room_item *);
typedef void	(*rooms_row_fn)(void *, const struct room_row *);

const char	*rooms_aff_name(enum rooms_aff);
void		 rooms_new_rid(char [ROOMS_RID_MAX + 1]);

enum db_status	rooms_find(const char *, const char *, const struct user *,
		    int, struct room *, int *);
enum db_status	rooms_create(const char *, const char *, const char *,
		    const char *, const struct user *, int *);
enum db_status	rooms_create_empty(const char *, const char *, const char *,
		    const char *, int *);
enum db_status	rooms_destroy(const struct room *, int *);
enum db_status	rooms_list(const struct user *, rooms_summary_fn, void *);
enum db_status	rooms_info(const struct room *, rooms_head_fn,
		    rooms_member_fn, void *);
enum db_status	rooms_configure(const struct room *, const char *,
		    const char *);
enum db_status	rooms_member_aff(const struct room *, const struct user *,
		    enum rooms_aff *);
enum db_status	rooms_member_set(const struct room *, const struct user *,
		    enum rooms_aff);
enum db_status	rooms_member_remove(const struct room *, const struct user *,
		    int *);
enum db_status	rooms_promote(const struct room *, struct jid *, int *);
enum db_status	rooms_count(const struct room *, long *);
enum db_status	rooms_post(const struct room *, const struct user *,
		    const char *, int, const char *, const char *,
		    char [MESSAGES_ID_LEN + 1]);
enum db_status	rooms_note_aff(const struct room *, const char *,
		    const char *, enum rooms_aff);
enum db_status	rooms_history(const struct room *, const struct user *,
		    long long, long, rooms_item_fn, void *);
enum db_status	rooms_all(const char *, rooms_row_fn, void *);
enum db_status	rooms_user_rooms(const struct user *, rooms_head_fn, void *);
enum db_status	rooms_demote_others(const struct room *, const struct user *);

#endif
