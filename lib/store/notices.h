/* notices: server notices for live clients (the server_notices table). */
#ifndef NOTICES_H
#define NOTICES_H

#include "db.h"

enum db_status	notices_restart(const char *);
enum db_status	notices_users(const char *, const char *, const char *,
		    const char *, long);

#endif
