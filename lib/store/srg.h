/* srg: shared roster groups (SQL). */
#ifndef SRG_H
#define SRG_H

#include "db.h"

struct srg_info {
	char	 label[1025];
	char	 description[4097];
	char	*display;		/* the displayed groups, one a line;
					   owned by the caller */
};

typedef void	(*srg_fn)(void *, const char *);

enum db_status	srg_create(const char *, const char *, const char *,
		    const char *, const char *);
enum db_status	srg_delete(const char *, const char *, int *);
enum db_status	srg_list(const char *, srg_fn, void *);
enum db_status	srg_get_info(const char *, const char *, struct srg_info *,
		    int *);
enum db_status	srg_members(const char *, const char *, srg_fn, void *);
enum db_status	srg_user_add(const char *, const char *, const char *,
		    const char *, int *);
enum db_status	srg_user_del(const char *, const char *, const char *,
		    const char *, int *);

#endif
