/*
 * migrate: apply sql/NNN-*.sql in order, once each, tracked in a table.
 *
 * Each file runs in its own transaction together with its row in
 * schema_migrations, under an advisory lock so concurrent runs serialise.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "migrate.h"
#include "util.h"

#define MIGRATE_LOCK	"7201202611"	/* any constant shared by all runs */
#define MIGRATE_MAX	1000

static const struct db_stmt st_table = { "migrate_table",
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version text PRIMARY KEY,"
	" applied_at timestamptz NOT NULL DEFAULT now())",
	0, 0 };

static const struct db_stmt st_lock = { "migrate_lock",
	"SELECT pg_advisory_xact_lock($1::bigint)", 1, 0 };

static const struct db_stmt st_applied = { "migrate_applied",
	"SELECT 1 FROM schema_migrations WHERE version = $1", 1, 0 };

static const struct db_stmt st_exists = { "migrate_exists",
	"SELECT to_regclass('schema_migrations') IS NOT NULL", 0, 0 };

static const struct db_stmt st_record = { "migrate_record",
	"INSERT INTO schema_migrations (version) VALUES ($1)", 1, 0 };

static int
is_migration(const char *name)
{
	size_t	 n = strlen(name);

	return n > 8 && name[0] >= '0' && name[0] <= '9' &&
	    name[1] >= '0' && name[1] <= '9' && name[2] >= '0' &&
	    name[2] <= '9' && name[3] == '-' &&
	    strcmp(name + n - 4, ".sql") == 0;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *
slurp(const char *path)
{
	FILE		*f;
	struct buf	 b = { NULL, 0, 0 };
	char		 chunk[8192];
	size_t		 n;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(f)) {
		buf_free(&b);
		fclose(f);
		return NULL;
	}
	fclose(f);
	if (b.p == NULL)
		buf_adds(&b, "");
	return b.p;
}

/* Apply one file unless recorded; 1 applied, 0 already, -1 error. */
static int
apply(const char *dir, const char *name)
{
	const char	*lockp[] = { MIGRATE_LOCK };
	const char	*namep[] = { name };
	PGresult	*res = NULL;
	char		*path = NULL, *sql = NULL;
	int		 rc = -1;

	if (db_begin() != DB_OK)
		goto out;
	if (db_exec(&st_lock, lockp, NULL) != DB_OK ||
	    db_exec(&st_table, NULL, NULL) != DB_OK ||
	    db_exec(&st_applied, namep, &res) != DB_OK)
		goto out;
	if (PQntuples(res) > 0) {
		rc = 0;
		goto out;
	}
	path = xasprintf("%s/%s", dir, name);
	if ((sql = slurp(path)) == NULL) {
		log_error("%s: %s", path, strerror(errno));
		goto out;
	}
	PQclear(res);
	/*
	 * A migration is many statements from a trusted file, never input:
	 * the one place the simple query protocol is used.
	 */
	res = PQexec(db_conn(), sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_error("%s: %s", name, PQresultErrorMessage(res));
		goto out;
	}
	if (db_exec(&st_record, namep, NULL) != DB_OK ||
	    db_commit() != DB_OK)
		goto out;
	rc = 1;
out:
	if (rc == -1)
		db_rollback();
	else if (rc == 0 && db_commit() != DB_OK)
		rc = -1;
	PQclear(res);
	free(sql);
	free(path);
	return rc;
}

/* The migration files of dir, sorted: their number, or -1. */
static int
migrate_list(const char *dir, char **names)
{
	DIR		*d;
	struct dirent	*de;
	size_t		 n = 0;

	if ((d = opendir(dir)) == NULL) {
		log_error("%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL && n < MIGRATE_MAX)
		if (is_migration(de->d_name))
			names[n++] = xstrdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_names);
	return (int)n;
}

/*
 * The newest migration applied (empty: none) and how many files of dir
 * are not applied yet; -1 if the directory or the database fails.
 */
int
migrate_status(const char *dir, char *latest, size_t latestlen,
    size_t *pending)
{
	char		*names[MIGRATE_MAX], v[8];
	const char	*namep[1];
	size_t		 i, n;
	int		 nn, found, table, rc = -1;

	latest[0] = '\0';
	*pending = 0;
	if ((nn = migrate_list(dir, names)) == -1)
		return -1;
	n = (size_t)nn;
	if (db_exec_value(&st_exists, NULL, v, sizeof(v), &found) != DB_OK)
		goto out;
	table = found && strcmp(v, "t") == 0;
	for (i = 0; i < n; i++) {
		if (!table) {
			(*pending)++;
			continue;
		}
		namep[0] = names[i];
		if (db_exec_value(&st_applied, namep, NULL, 0, &found) !=
		    DB_OK)
			goto out;
		if (found)
			(void)snprintf(latest, latestlen, "%s", names[i]);
		else
			(*pending)++;
	}
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	return rc;
}

int
migrate_run(const char *dir, FILE *out)
{
	char		*names[MIGRATE_MAX];
	size_t		 n = 0, i, applied = 0;
	int		 nn, rc = -1, r;

	if ((nn = migrate_list(dir, names)) == -1)
		return -1;
	n = (size_t)nn;

	if (db_conn() == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		if ((r = apply(dir, names[i])) == -1) {
			fprintf(out, "failed: %s\n", names[i]);
			goto out;
		}
		if (r == 1) {
			fprintf(out, "applied %s\n", names[i]);
			applied++;
		}
	}
	if (applied == 0)
		fprintf(out, "database is up to date\n");
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	return rc;
}
