/* blocks: blocklists, the SQL for the blocks table. */
#ifndef BLOCKS_H
#define BLOCKS_H

#include <stddef.h>

#include "config.h"
#include "db.h"

char		*blocks_array(const char *const *, size_t);
enum db_status	 blocks_replace(const char *, const char *, const char *);
enum db_status	 blocks_set(const char *, const char *);
enum db_status	 blocks_mutual(const char *, const char *);
enum db_status	 blocks_list(const char *, struct strlist *);
enum db_status	 blocks_named(const char *, const char *, const char *);

#endif
