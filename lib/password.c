/*
 * password: scrypt hashes in MCF strings, via libscrypt.
 *
 * libscrypt's pitfalls: libscrypt_check() tokenises its MCF argument in
 * place, measures the password with strlen(), and returns <0 for a
 * malformed hash, which a plain truth test would take for a match.
 */
#include <stdio.h>
#include <string.h>

#include <libscrypt.h>

#include "log.h"
#include "password.h"
#include "util.h"

/* Passwords with NUL bytes cannot be checked faithfully: refuse them. */
static int
password_ok(const char *pw, size_t len)
{
	return len <= PASSWORD_MAX && strlen(pw) == len;
}

int
password_hash(const struct config *c, const char *pw, size_t len,
    char out[PASSWORD_MCF_MAX])
{
	char	 mcf[SCRYPT_MCF_LEN + 1];

	if (!password_ok(pw, len))
		return -1;
	if (libscrypt_hash(mcf, pw, (uint32_t)c->scrypt_n,
	    (uint8_t)c->scrypt_r, (uint8_t)c->scrypt_p) <= 0) {
		log_error("scrypt hashing failed");
		return -1;
	}
	mcf[SCRYPT_MCF_LEN] = '\0';
	memcpy(out, mcf, strlen(mcf) + 1);
	util_bzero(mcf, sizeof(mcf));
	return 0;
}

/* 1 on match, 0 on mismatch, -1 if the stored hash is unusable. */
int
password_verify(const char *stored, const char *pw, size_t len)
{
	char	 mcf[PASSWORD_MCF_MAX];
	int	 rc, refused = 0;

	/* A refused password still pays for a check, or timing tells. */
	if (!password_ok(pw, len)) {
		refused = 1;
		pw = "";
	}
	if (strlen(stored) >= sizeof(mcf)) {
		log_error("stored password hash is malformed");
		return -1;
	}
	memcpy(mcf, stored, strlen(stored) + 1);
	rc = libscrypt_check(mcf, pw);
	util_bzero(mcf, sizeof(mcf));
	if (rc < 0) {
		log_error("stored password hash is malformed");
		return -1;
	}
	return rc > 0 && !refused;
}

/*
 * The cost of a real check, for users that do not exist, so timing does
 * not reveal which accounts do.  The MCF is assembled from the configured
 * parameters and a fixed salt and digest; no hashing is done to build it.
 */
void
password_dummy(const struct config *c, const char *pw, size_t len)
{
	char	 mcf[SCRYPT_MCF_LEN + 1];

	if (libscrypt_mcf((uint32_t)c->scrypt_n, (uint32_t)c->scrypt_r,
	    (uint32_t)c->scrypt_p, "AAAAAAAAAAAAAAAAAAAAAA==",
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAA==", mcf) <= 0)
		return;
	if (!password_ok(pw, len)) {
		pw = "";
		len = 0;
	}
	if (password_verify(mcf, pw, len) != 0)
		log_error("dummy password check matched");
}
