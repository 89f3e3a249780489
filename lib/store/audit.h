/* audit: the trail of state-changing admin commands (SQL for admin_audit). */
#ifndef AUDIT_H
#define AUDIT_H

#include "db.h"

struct audit_row {
	const char	*id;
	const char	*at;		/* ISO 8601, UTC */
	const char	*actor;
	const char	*via;
	const char	*command;
	const char	*args;		/* JSON object, secrets redacted */
	const char	*outcome;
	const char	*message;
};

typedef void	(*audit_fn)(void *, const struct audit_row *);

enum db_status	audit_add(const char *, const char *, const char *,
		    const char *, const char *, const char *)
		    __attribute__((warn_unused_result));
enum db_status	audit_newest(long long, audit_fn, void *)
		    __attribute__((warn_unused_result));

#endif
