/*
 * jwt: HS256 JSON Web Tokens (RFC 7519) signed and verified with libcrypto.
 *
 * Signing takes the payload as JSON text, so the caller decides the key
 * order (BareRTC's wire format).  Verification trusts nothing in the
 * header but checks it: the algorithm is pinned to HS256 whatever the
 * token says (no "none", no HS512 with the same key, no RS/HS confusion),
 * there must be exactly three segments, the token must fit in JWT_MAX
 * bytes, the MAC is compared in constant time, and "exp" is required.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "base64.h"
#include "hmac.h"
#include "jsonio.h"
#include "jwt.h"
#include "util.h"

#define JWT_MAC_LEN	HMAC_LEN

/* base64url of {"alg":"HS256","typ":"JWT"}, the header BareRTC sends. */
static const char jwt_header[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

/* A token for payload (JSON text); the caller frees it. */
char *
jwt_sign(const char *key, size_t keylen, const char *payload, size_t n)
{
	struct buf	 b = { NULL, 0, 0 };
	unsigned char	 mac[JWT_MAC_LEN];
	char		*enc, sig[BASE64_ENCODED_LEN(JWT_MAC_LEN)];

	enc = xmalloc(BASE64_ENCODED_LEN(n));
	(void)base64url_encode((const unsigned char *)payload, n, enc);
	buf_adds(&b, jwt_header);
	buf_addc(&b, '.');
	buf_adds(&b, enc);
	free(enc);
	hmac_sha256(key, keylen, b.p, b.len, mac);
	(void)base64url_encode(mac, sizeof(mac), sig);
	buf_addc(&b, '.');
	buf_adds(&b, sig);
	util_bzero(mac, sizeof(mac));
	return b.p;
}

/* One base64url segment holding a JSON object. */
static int
jwt_segment(const char *s, size_t n, json_object **out)
{
	unsigned char	 raw[JWT_MAX];
	size_t		 len;

	*out = NULL;
	if (base64url_decode(s, n, raw, sizeof(raw), &len) == -1 ||
	    jsonio_parse((const char *)raw, len, out) == -1)
		return -1;
	if (!json_object_is_type(*out, json_type_object)) {
		json_object_put(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/*
 * A NumericDate claim: 1 and *t set, 0 if absent, -1 if it is not a JSON
 * integer (a fraction, an exponent, NaN or an infinity never compares as
 * the issuer meant).
 */
static int
jwt_time(json_object *claims, const char *name, int64_t *t)
{
	json_object	*v;

	if (!json_object_object_get_ex(claims, name, &v))
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return -1;
	*t = json_object_get_int64(v);
	return 1;
}

/*
 * Verify token at time now; on JWT_OK and when claims is given the
 * caller owns *claims.  Signature first: nothing else in an unsigned
 * token is looked at beyond its header's algorithm.
 */
enum jwt_err
jwt_verify(const char *key, size_t keylen, const char *tok, size_t n,
    time_t now, json_object **claims)
{
	const char	*d1, *d2;
	json_object	*hdr = NULL, *pl = NULL, *alg;
	unsigned char	 mac[JWT_MAC_LEN], sig[JWT_MAC_LEN + 3];
	size_t		 siglen;
	int64_t		 t;
	int		 r;
	enum jwt_err	 e = JWT_MALFORMED;

	if (claims != NULL)
		*claims = NULL;
	if (n == 0 || n > JWT_MAX || memchr(tok, '\0', n) != NULL)
		goto out;
	if ((d1 = memchr(tok, '.', n)) == NULL ||
	    (d2 = memchr(d1 + 1, '.', n - (size_t)(d1 + 1 - tok))) == NULL ||
	    memchr(d2 + 1, '.', n - (size_t)(d2 + 1 - tok)) != NULL)
		goto out;
	if (jwt_segment(tok, (size_t)(d1 - tok), &hdr) == -1)
		goto out;
	if (!json_object_object_get_ex(hdr, "alg", &alg) ||
	    !json_object_is_type(alg, json_type_string) ||
	    strcmp(json_object_get_string(alg), "HS256") != 0 ||
	    json_object_object_get_ex(hdr, "crit", NULL)) {
		e = JWT_ALG;
		goto out;
	}
	if (base64url_decode(d2 + 1, n - (size_t)(d2 + 1 - tok), sig,
	    sizeof(sig), &siglen) == -1 || siglen != JWT_MAC_LEN)
		goto out;
	hmac_sha256(key, keylen, tok, (size_t)(d2 - tok), mac);
	if (CRYPTO_memcmp(mac, sig, JWT_MAC_LEN) != 0) {
		e = JWT_SIGNATURE;
		goto out;
	}
	if (jwt_segment(d1 + 1, (size_t)(d2 - d1 - 1), &pl) == -1)
		goto out;
	if ((r = jwt_time(pl, "exp", &t)) == -1)
		goto out;
	if (r == 0) {
		e = JWT_NO_EXP;
		goto out;
	}
	if ((int64_t)now >= t) {
		e = JWT_EXPIRED;
		goto out;
	}
	if ((r = jwt_time(pl, "nbf", &t)) == -1)
		goto out;
	if (r == 1 && (int64_t)now < t) {
		e = JWT_NOT_YET;
		goto out;
	}
	if ((r = jwt_time(pl, "iat", &t)) == -1)
		goto out;
	if (r == 1 && (int64_t)now < t) {
		e = JWT_NOT_YET;
		goto out;
	}
	if (claims != NULL) {
		*claims = pl;
		pl = NULL;
	}
	e = JWT_OK;
out:
	util_bzero(mac, sizeof(mac));
	json_object_put(hdr);
	json_object_put(pl);
	return e;
}

const char *
jwt_strerror(enum jwt_err e)
{
	switch (e) {
	case JWT_OK:
		return "valid";
	case JWT_MALFORMED:
		return "token is malformed";
	case JWT_ALG:
		return "signing method is not HS256";
	case JWT_SIGNATURE:
		return "signature is invalid";
	case JWT_NO_EXP:
		return "token has no expiry";
	case JWT_EXPIRED:
		return "token is expired";
	case JWT_NOT_YET:
		return "token is not valid yet";
	}
	return "unknown error";
}
