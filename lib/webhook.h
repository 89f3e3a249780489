/* webhook: one JSON POST to a configured URL, through libcurl. */
#ifndef WEBHOOK_H
#define WEBHOOK_H

#include <stddef.h>

#include "util.h"

#define WEBHOOK_MAX_REPLY	65536	/* longer answers are cut off */

int	webhook_post(const char *, const char *, size_t, long, struct buf *,
	    long *) __attribute__((warn_unused_result));

#endif
