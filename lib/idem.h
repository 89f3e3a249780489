/* idem: Idempotency-Key, a retried write answered as the first was. */
#ifndef IDEM_H
#define IDEM_H

#include "config.h"
#include "db.h"
#include "router.h"

#define IDEM_KEY_MAX	255

enum idem_state {
	IDEM_FRESH,	/* the key is ours: do the write, then idem_store */
	IDEM_REPLAY,	/* answered before: the stored answer is in hand */
	IDEM_MISMATCH,	/* the key was used for another request */
};

struct idem_answer {
	int	 status;
	char	*headers;
	char	*body;
};

int		 idem_key_ok(const char *);
enum db_status	 idem_reserve(const struct config *, const char *,
		    const char *, const char *, enum idem_state *,
		    struct idem_answer *);
enum db_status	 idem_store(const char *, const char *, int, const char *,
		    const char *);
void		 idem_answer_free(struct idem_answer *);
int		 idem_run(struct req *, struct resp *, route_fn);

#endif
