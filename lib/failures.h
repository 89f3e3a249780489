/* failures: repeated failed logins per account name, kept in the store. */
#ifndef FAILURES_H
#define FAILURES_H

#include "config.h"
#include "db.h"

enum db_status	failures_count(const struct config *, const char *,
		    const char *, long *);
enum db_status	failures_record(const struct config *, const char *,
		    const char *, long *);
enum db_status	failures_clear(const char *, const char *);

#endif
