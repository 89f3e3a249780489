/*
 * roster: contacts with subscription and pending requests (SQL).
 *
 * Each side of a contact is its own row: (owner, contact) says what the
 * owner sees.  The client API updates both sides in one transaction when
 * the contact is a user here; roster_get locks the row it reads.
 */
#include <stdlib.h>
#include <string.h>

#include "roster.h"

/*
 * Both sides of a pair change together: one transaction-scoped lock per
 * pair of users, taken before either row, so two users acting on each
 * other at once queue instead of deadlocking.
 */
static const struct db_stmt st_lock_pair = { "roster_lock_pair",
	"SELECT pg_advisory_xact_lock(hashtextextended('roster:' ||"
	" least($1::bigint, $2::bigint) || ':' ||"
	" greatest($1::bigint, $2::bigint), 0))",
	2, 0 };

static const struct db_stmt st_list = { "roster_list",
	"SELECT contact_host, contact_local, sub_to, sub_from, ask_out, ask_in"
	" FROM roster WHERE user_id = $1 ORDER BY seq",
	1, DB_IDEMPOTENT | DB_REPLICA };

static const struct db_stmt st_get = { "roster_get",
	"SELECT sub_to, sub_from, ask_out, ask_in FROM roster"
	" WHERE user_id = $1 AND contact_host = $2 AND contact_local = $3"
	" FOR UPDATE",
	3, 0 };

static const struct db_stmt st_add = { "roster_add",
	"INSERT INTO roster (user_id, contact_host, contact_local)"
	" VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
	3, 0 };

static const struct db_stmt st_put = { "roster_put",
	"INSERT INTO roster (user_id, contact_host, contact_local, sub_to,"
	" sub_from, ask_out, ask_in) VALUES ($1, $2, $3, $4, $5, $6, $7)"
	" ON CONFLICT (user_id, contact_host, contact_local) DO UPDATE"
	" SET sub_to = $4, sub_from = $5, ask_out = $6, ask_in = $7",
	7, 0 };

static const struct db_stmt st_remove = { "roster_remove",
	"DELETE FROM roster WHERE user_id = $1 AND contact_host = $2"
	" AND contact_local = $3",
	3, 0 };

const char *
roster_subscription(const struct roster_state *s)
{
	if (s->sub_to && s->sub_from)
		return "both";
	return s->sub_to ? "to" : s->sub_from ? "from" : "none";
}

const char *
roster_ask(const struct roster_state *s)
{
	if (s->ask_out && s->ask_in)
		return "both";
	return s->ask_out ? "out" : s->ask_in ? "in" : "none";
}

static int
tf(const char *v)
{
	return strcmp(v, "t") == 0;
}

/* Inside a transaction: serialise changes between users a and b. */
enum db_status
roster_lock_pair(const char *a, const char *b)
{
	const char	*p[] = { a, b };

	return db_exec(&st_lock_pair, p, NULL);
}

/* Every item of the owner (a user id), pending requests included. */
enum db_status
roster_list(const char *uid, roster_fn fn, void *ctx)
{
	const char		*p[] = { uid };
	PGresult		*res = NULL;
	struct roster_item	 it;
	enum db_status		 s;
	int			 i;

	if ((s = db_exec(&st_list, p, &res)) != DB_OK)
		goto out;
	for (i = 0; i < PQntuples(res); i++) {
		it.host = PQgetvalue(res, i, 0);
		it.local = PQgetvalue(res, i, 1);
		it.st.sub_to = tf(PQgetvalue(res, i, 2));
		it.st.sub_from = tf(PQgetvalue(res, i, 3));
		it.st.ask_out = tf(PQgetvalue(res, i, 4));
		it.st.ask_in = tf(PQgetvalue(res, i, 5));
		fn(ctx, &it);
	}
out:
	PQclear(res);
	return s;
}

enum db_status
roster_get(const char *uid, const struct jid *c, struct roster_state *st,
    int *found)
{
	const char	*p[] = { uid, c->host, c->local };
	PGresult	*res = NULL;
	enum db_status	 s;

	*found = 0;
	memset(st, 0, sizeof(*st));
	if ((s = db_exec(&st_get, p, &res)) != DB_OK)
		goto out;
	if (PQntuples(res) == 1) {
		st->sub_to = tf(PQgetvalue(res, 0, 0));
		st->sub_from = tf(PQgetvalue(res, 0, 1));
		st->ask_out = tf(PQgetvalue(res, 0, 2));
		st->ask_in = tf(PQgetvalue(res, 0, 3));
		*found = 1;
	}
out:
	PQclear(res);
	return s;
}

/* A new item with no subscription; an existing one is left alone. */
enum db_status
roster_add(const char *uid, const struct jid *c)
{
	const char	*p[] = { uid, c->host, c->local };

	return db_exec(&st_add, p, NULL);
}

enum db_status
roster_put(const char *uid, const struct jid *c, const struct roster_state *st)
{
	const char	*p[] = { uid, c->host, c->local,
			    st->sub_to ? "true" : "false",
			    st->sub_from ? "true" : "false",
			    st->ask_out ? "true" : "false",
			    st->ask_in ? "true" : "false" };

	return db_exec(&st_put, p, NULL);
}

enum db_status
roster_remove(const char *uid, const struct jid *c, int *removed)
{
	const char	*p[] = { uid, c->host, c->local };

	return db_exec_count(&st_remove, p, removed);
}
