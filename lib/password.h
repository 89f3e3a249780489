/* password: scrypt hashes in MCF strings, via libscrypt. */
#ifndef PASSWORD_H
#define PASSWORD_H

#include <stddef.h>

#include "config.h"

#define PASSWORD_MCF_MAX	160	/* more than libscrypt's SCRYPT_MCF_LEN */
#define PASSWORD_MAX		1024

int	password_hash(const struct config *, const char *, size_t,
	    char [PASSWORD_MCF_MAX]) __attribute__((warn_unused_result));
int	password_verify(const char *, const char *, size_t)
	    __attribute__((warn_unused_result));
void	password_dummy(const struct config *, const char *, size_t);

#endif
