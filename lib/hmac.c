/*
 * hmac: HMAC-SHA-256 (RFC 2104) over libcrypto's SHA-256 functions.
 *
 * Not EVP_MAC: the first EVP fetch builds libcrypto's provider and
 * algorithm tables, about 2 MB of libcrypto's pages resident in every
 * process that makes one (tests/bench/README.md, "Resident memory of a
 * worker"), where SHA256_Init() touches 0.1 MB.  The construction is the
 * RFC's, and the unit tests check it against RFC 4231's vectors and
 * against libcrypto's own HMAC().  SHA256_Init() and friends are
 * deprecated in OpenSSL 3 but kept; the define says so to the compiler.
 */
#define OPENSSL_SUPPRESS_DEPRECATED

#include <string.h>

#include "hmac.h"
#include "util.h"

#define HMAC_BLOCK	64	/* SHA-256's block */

void
hmac_key_init(struct hmac_key *k, const void *key, size_t len)
{
	unsigned char	 pad[HMAC_BLOCK], hashed[SHA256_DIGEST_LENGTH];
	SHA256_CTX	 c;
	size_t		 i;

	/*
	 * A key longer than a block is its hash (RFC 2104 §2); not by
	 * SHA256(), which is an EVP fetch in OpenSSL 3.
	 */
	if (len > HMAC_BLOCK) {
		(void)SHA256_Init(&c);
		(void)SHA256_Update(&c, key, len);
		(void)SHA256_Final(hashed, &c);
		util_bzero(&c, sizeof(c));
		key = hashed;
		len = sizeof(hashed);
	}
	memset(pad, 0x36, sizeof(pad));
	for (i = 0; i < len; i++)
		pad[i] ^= ((const unsigned char *)key)[i];
	(void)SHA256_Init(&k->in);
	(void)SHA256_Update(&k->in, pad, sizeof(pad));
	for (i = 0; i < sizeof(pad); i++)
		pad[i] ^= 0x36 ^ 0x5c;
	(void)SHA256_Init(&k->out);
	(void)SHA256_Update(&k->out, pad, sizeof(pad));
	util_bzero(pad, sizeof(pad));
	util_bzero(hashed, sizeof(hashed));
}

void
hmac_key_free(struct hmac_key *k)
{
	util_bzero(k, sizeof(*k));
}

void
hmac_begin(struct hmac *h, const struct hmac_key *k)
{
	h->key = k;
	h->in = k->in;
}

void
hmac_update(struct hmac *h, const void *p, size_t n)
{
	(void)SHA256_Update(&h->in, p, n);
}

void
hmac_final(struct hmac *h, unsigned char mac[HMAC_LEN])
{
	SHA256_CTX	 out;
	unsigned char	 inner[SHA256_DIGEST_LENGTH];

	(void)SHA256_Final(inner, &h->in);
	out = h->key->out;
	(void)SHA256_Update(&out, inner, sizeof(inner));
	(void)SHA256_Final(mac, &out);
	util_bzero(inner, sizeof(inner));
	util_bzero(&out, sizeof(out));
	util_bzero(h, sizeof(*h));
}

/* The MAC of data under key, in one call. */
void
hmac_sha256(const void *key, size_t keylen, const void *data, size_t n,
    unsigned char mac[HMAC_LEN])
{
	struct hmac_key	 k;
	struct hmac	 h;

	hmac_key_init(&k, key, keylen);
	hmac_begin(&h, &k);
	hmac_update(&h, data, n);
	hmac_final(&h, mac);
	hmac_key_free(&k);
}
