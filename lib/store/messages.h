/* messages: the one-to-one message archive (SQL for chat_archive). */
#ifndef MESSAGES_H
#define MESSAGES_H

#include "db.h"
#include "jid.h"
#include "users.h"

#define MESSAGES_ID_LEN	36	/* a UUID's text form */

struct chat_item {
	const char	*mid;
	const char	*from_host, *from_local;
	const char	*to_host, *to_local;
	const char	*body;
	long long	 ts_ms;
};

/* Called once per item, oldest first; the strings live for the call. */
typedef void	(*messages_fn)(void *, const struct chat_item *);

enum db_status	messages_send(const struct user *, const struct jid *,
		    const char *, char [MESSAGES_ID_LEN + 1]);
enum db_status	messages_history(const struct user *, const struct jid *,
		    long long, long, messages_fn, void *);
enum db_status	messages_delete_old(int, int, long long, long *, long *);
enum db_status	messages_archive_prepare(long *);
enum db_status	messages_delete_offline(long long, long *);
enum db_status	messages_offline_count(const struct user *, long *);

#endif
