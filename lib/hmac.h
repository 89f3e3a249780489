/* hmac: HMAC-SHA-256 (RFC 2104) over libcrypto's SHA-256. */
#ifndef HMAC_H
#define HMAC_H

#include <stddef.h>

#include <openssl/sha.h>

#define HMAC_LEN	32

/* A key's inner and outer states, computed once. */
struct hmac_key {
	SHA256_CTX	 in;
	SHA256_CTX	 out;
};

/* One MAC in progress under a key. */
struct hmac {
	const struct hmac_key	*key;
	SHA256_CTX		 in;
};

void	hmac_key_init(struct hmac_key *, const void *, size_t);
void	hmac_key_free(struct hmac_key *);
void	hmac_begin(struct hmac *, const struct hmac_key *);
void	hmac_update(struct hmac *, const void *, size_t);
void	hmac_final(struct hmac *, unsigned char [HMAC_LEN]);
void	hmac_sha256(const void *, size_t, const void *, size_t,
	    unsigned char [HMAC_LEN]);

#endif
