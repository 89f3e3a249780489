/* restful: ejabberd mod_restful's error shape, {"error":"atom"}. */
#ifndef RESTFUL_H
#define RESTFUL_H

#include "response.h"

int	restful_fail(struct resp *, int, const char *);
int	restful_error(struct resp *, int);

#endif
