/* migrate: apply sql/NNN-*.sql in order, once each, tracked in a table. */
#ifndef MIGRATE_H
#define MIGRATE_H

#include <stdio.h>

int	migrate_run(const char *, FILE *);

#endif
