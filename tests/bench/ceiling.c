/*
 * bench-select, bench-insert: the ceilings of an endpoint that runs one
 * statement.  bench-hello plus one persistent libpq connection (from
 * [database] conninfo of chatrest.conf, as the executables read it) and
 * one statement per request, its answer as a small JSON body:
 *
 *   bench-select  SELECT of one users row by (host, localpart)
 *   bench-insert  INSERT of one row shaped as a chat_archive row into a
 *                 plain table (bench_insert: no partitions, no trigger),
 *                 committed before the reply (autocommit)
 *
 * Prepared by name once per connection when the connection is a server
 * session of its own ([database] prepare, "auto" decided as lib/db.c
 * does); behind PgBouncer in transaction mode sent with its parameters
 * each time.  A failed statement answers 503 and drops the connection.
 */
#include <fcgiapp.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fastcgi.h"
#include "pool.h"

#ifdef CEILING_INSERT
#define SQL	"INSERT INTO bench_insert (owner_id, ts, mid, from_host," \
		" from_local, to_host, to_local, peer_host, peer_local, body)" \
		" SELECT id, 1700000000000000 + (extract(epoch FROM" \
		" clock_timestamp()) * 1000000)::bigint, gen_random_uuid()," \
		" host, localpart, $1, $2, $1, $2, 'ceiling' FROM users" \
		" WHERE host = $1 AND localpart = $2 RETURNING seq"
#else
#define SQL	"SELECT id, localpart FROM users" \
		" WHERE host = $1 AND localpart = $2"
#endif

static PGconn	*conn;
static int	 prepared;
static int	 session;	/* a server connection of our own */

/* As lib/db.c decides: behind PgBouncer the backend is not ours. */
static int
ceiling_session(const struct config *cfg)
{
	PGresult	*res;
	int		 rc = 0;

	if (cfg->db_prepare != CONFIG_PREPARE_AUTO)
		return cfg->db_prepare == CONFIG_PREPARE_ON;
	res = PQexec(conn, "SELECT pg_backend_pid()");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		rc = atoi(PQgetvalue(res, 0, 0)) == PQbackendPID(conn);
	PQclear(res);
	return rc;
}

static PGresult *
ceiling_exec(const struct config *cfg, const char *const *params)
{
	PGresult	*res;

	if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
		PQfinish(conn);
		conn = PQconnectdb(cfg->db_conninfo);
		prepared = 0;
		if (PQstatus(conn) != CONNECTION_OK)
			return NULL;
		session = ceiling_session(cfg);
	}
	if (!session)
		return PQexecParams(conn, SQL, 2, NULL, params, NULL, NULL, 0);
	if (!prepared) {
		res = PQprepare(conn, "ceiling", SQL, 2, NULL);
		prepared = PQresultStatus(res) == PGRES_COMMAND_OK;
		PQclear(res);
		if (!prepared)
			return NULL;
	}
	return PQexecPrepared(conn, "ceiling", 2, params, NULL, NULL, 0);
}

int
main(int argc, char **argv)
{
	static const char *const params[] = { "localhost", "u1" };
	FCGX_Request	 r;
	struct config	*cfg;
	PGresult	*res;
	char		 err[256], body[128];
	int		 n;

	/* -l socket -n count: a pool of its own, as chatrest's executables */
	if (argc == 5 && strcmp(argv[1], "-l") == 0 &&
	    strcmp(argv[3], "-n") == 0)
		return pool_run(argv[2], atoi(argv[4]), argv[0]);
	if ((cfg = config_load(config_path(), err, sizeof(err))) == NULL) {
		fprintf(stderr, "bench-ceiling: %s\n", err);
		return 1;
	}
	if (FCGX_Init() != 0 || FCGX_InitRequest(&r, 0, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&r) >= 0) {
		res = ceiling_exec(cfg, params);
		if (res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK &&
		    PQntuples(res) == 1) {
			n = snprintf(body, sizeof(body), "{\"id\":\"%s\"}",
			    PQgetvalue(res, 0, 0));
			FCGX_FPrintF(r.out, "Status: 200 OK\r\n"
			    "Content-Type: application/json\r\n"
			    "Content-Length: %d\r\n\r\n%s", n, body);
		} else {
			fprintf(stderr, "bench-ceiling: %s",
			    conn != NULL ? PQerrorMessage(conn) : "no memory\n");
			PQfinish(conn);
			conn = NULL;
			FCGX_FPrintF(r.out, "Status: 503 Service Unavailable\r\n"
			    "Content-Length: 0\r\n\r\n");
		}
		PQclear(res);
		fastcgi_finish(&r);
	}
	PQfinish(conn);
	config_free(cfg);
	return 0;
}
