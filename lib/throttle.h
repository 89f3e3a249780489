/* throttle: guessing limits on every password and key check. */
#ifndef THROTTLE_H
#define THROTTLE_H

#include "config.h"
#include "db.h"

#define THROTTLE_SUBJECT_MAX	512

/* One credential check, from throttle_begin to throttle_end. */
struct throttle {
	char	 account[THROTTLE_SUBJECT_MAX];
	char	 address[THROTTLE_SUBJECT_MAX];
	int	 reserved;	/* counted as a failure until it succeeds */
	long	 retry_after;	/* seconds, when refused */
};

enum throttle_result {
	THROTTLE_GO,		/* check the credential */
	THROTTLE_WAIT,		/* refuse it unchecked; see retry_after */
	THROTTLE_UNAVAIL,	/* the store could not be asked */
};

/* What throttle_list reports per counter. */
typedef void	(*throttle_fn)(void *, const char *, const char *, double,
		    long);

enum throttle_result throttle_begin(const struct config *, const char *,
		    const char *, struct throttle *);
enum throttle_result throttle_check(const struct config *, const char *,
		    const char *, int, struct throttle *);
void		 throttle_end(const struct config *, struct throttle *, int);
enum db_status	 throttle_list(const struct config *, throttle_fn, void *);
enum db_status	 throttle_clear(const char *, int *);

#endif
