/* migrate: apply sql/NNN-*.sql in order, once each, tracked in a table. */
#ifndef MIGRATE_H
#define MIGRATE_H

#include <stdio.h>

#include <stddef.h>

int	migrate_run(const char *, FILE *);
int	migrate_status(const char *, char *, size_t, size_t *);

#endif
