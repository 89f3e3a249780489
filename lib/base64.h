/* base64: standard (RFC 4648 §4, Basic auth) and URL (§5, JWT) alphabets. */
#ifndef BASE64_H
#define BASE64_H

#include <stddef.h>

#define BASE64_ENCODED_LEN(n)	(((n) + 2) / 3 * 4 + 1)

size_t	base64_encode(const unsigned char *, size_t, char *);
size_t	base64url_encode(const unsigned char *, size_t, char *);
int	base64_decode(const char *, size_t, unsigned char *, size_t, size_t *);
int	base64url_decode(const char *, size_t, unsigned char *, size_t,
	    size_t *);

#endif
