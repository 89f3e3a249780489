/* base64: standard (RFC 4648 §4, Basic auth) and URL (§5, JWT) alphabets. */
#include <string.h>

#include "base64.h"

static const char b64_std[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static size_t
encode(const char *alpha, int pad, const unsigned char *in, size_t n,
    char *out)
{
	size_t		 i, o = 0;
	unsigned long	 v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned long)in[i] << 16 | in[i + 1] << 8 | in[i + 2];
		out[o++] = alpha[v >> 18 & 63];
		out[o++] = alpha[v >> 12 & 63];
		out[o++] = alpha[v >> 6 & 63];
		out[o++] = alpha[v & 63];
	}
	if (i < n) {
		v = (unsigned long)in[i] << 16;
		if (i + 1 < n)
			v |= in[i + 1] << 8;
		out[o++] = alpha[v >> 18 & 63];
		out[o++] = alpha[v >> 12 & 63];
		if (i + 1 < n)
			out[o++] = alpha[v >> 6 & 63];
		else if (pad)
			out[o++] = '=';
		if (pad)
			out[o++] = '=';
	}
	out[o] = '\0';
	return o;
}

size_t
base64_encode(const unsigned char *in, size_t n, char *out)
{
	return encode(b64_std, 1, in, n, out);
}

size_t
base64url_encode(const unsigned char *in, size_t n, char *out)
{
	return encode(b64_url, 0, in, n, out);
}

/*
 * Strict decoder: padding required (std) or forbidden (url), no white
 * space, no trailing bits set.  Returns -1 on any malformed input.
 */
static int
decode(const char *alpha, int pad, const char *in, size_t n,
    unsigned char *out, size_t outsz, size_t *outlen)
{
	size_t		 i, o = 0, npad = 0;
	unsigned long	 v = 0;
	const char	*p;
	int		 bits = 0;

	if (pad) {
		if (n % 4 != 0)
			return -1;
		while (npad < 2 && n > 0 && in[n - 1] == '=') {
			n--;
			npad++;
		}
	} else if (n % 4 == 1)
		return -1;
	for (i = 0; i < n; i++) {
		if (in[i] == '\0' || (p = strchr(alpha, in[i])) == NULL)
			return -1;
		v = (v << 6 | (unsigned long)(p - alpha)) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= outsz)
				return -1;
			out[o++] = (unsigned char)(v >> bits);
		}
	}
	if (bits > 0 && (v & ((1UL << bits) - 1)) != 0)
		return -1;
	*outlen = o;
	return 0;
}

int
base64_decode(const char *in, size_t n, unsigned char *out, size_t outsz,
    size_t *outlen)
{
	return decode(b64_std, 1, in, n, out, outsz, outlen);
}

int
base64url_decode(const char *in, size_t n, unsigned char *out, size_t outsz,
    size_t *outlen)
{
	return decode(b64_url, 0, in, n, out, outsz, outlen);
}
