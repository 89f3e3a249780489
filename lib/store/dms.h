/* dms: BareRTC's direct messages, a view of the one-to-one archive. */
#ifndef DMS_H
#define DMS_H

#include "config.h"
#include "db.h"

#define DMS_PAGE	20	/* messages per history page */
#define DMS_NAMES_PAGE	9	/* usernames per page */

enum dms_sort {
	DMS_NEWEST,
	DMS_OLDEST,
	DMS_AZ,
	DMS_ZA,
};

struct dms_item {
	long long	 id;		/* the reader's archive row */
	const char	*sender;	/* a localpart on the web host */
	const char	*body;
	long long	 ts;		/* seconds since the epoch */
};

typedef void	(*dms_fn)(void *, const struct dms_item *);
typedef void	(*dms_name_fn)(void *, const char *);

enum db_status	dms_online(const struct config *, const char *, int *);
enum db_status	dms_page(const char *, const char *, const char *,
		    long long, dms_fn, void *, long *);
enum db_status	dms_partners(const char *, const char *, const char *,
		    enum dms_sort, long, dms_name_fn, void *, long *);
enum db_status	dms_clear(const char *, const char *, long *);

#endif
