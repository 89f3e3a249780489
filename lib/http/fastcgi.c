/*
 * fastcgi: the FastCGI record format (version 1), for a server that
 * reads many connections from one event loop.  libfcgi's FCGX_Accept_r
 * owns one blocking request at a time; this module only cuts records out
 * of bytes already read and writes records into a buffer, so the caller
 * decides when to read and write.  For libfcgi's loop, it ends a request.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>

#include "fastcgi.h"

/*
 * The next whole record at *off in p[0..len): 1 and *off past it, 0 when
 * more bytes are needed, -1 when the bytes cannot be FastCGI.
 */
int
fastcgi_next(const unsigned char *p, size_t len, size_t *off,
    struct fastcgi_rec *rec)
{
	const unsigned char	*h;
	size_t			 clen, plen;

	if (len - *off < FASTCGI_HEADER_LEN)
		return 0;
	h = p + *off;
	if (h[0] != 1)
		return -1;
	clen = (size_t)h[4] << 8 | h[5];
	plen = h[6];
	if (len - *off < FASTCGI_HEADER_LEN + clen + plen)
		return 0;
	rec->type = h[1];
	rec->id = (unsigned)h[2] << 8 | h[3];
	rec->p = h + FASTCGI_HEADER_LEN;
	rec->len = clen;
	*off += FASTCGI_HEADER_LEN + clen + plen;
	return 1;
}

static void
put_header(struct buf *b, int type, unsigned id, size_t len)
{
	char	 h[FASTCGI_HEADER_LEN];

	h[0] = 1;
	h[1] = (char)type;
	h[2] = (char)(id >> 8 & 0xff);
	h[3] = (char)(id & 0xff);
	h[4] = (char)(len >> 8 & 0xff);
	h[5] = (char)(len & 0xff);
	h[6] = 0;
	h[7] = 0;
	buf_add(b, h, sizeof(h));
}

/* Stream records for n bytes; n == 0 writes the stream's end. */
void
fastcgi_put(struct buf *b, int type, unsigned id, const char *p, size_t n)
{
	size_t	 k;

	do {
		k = n > 65535 ? 65535 : n;
		put_header(b, type, id, k);
		if (k > 0)
			buf_add(b, p, k);
		p += k;
		n -= k;
	} while (n > 0);
}

void
fastcgi_put_end(struct buf *b, unsigned id, enum fastcgi_status st)
{
	char	 body[8] = { 0 };

	put_header(b, FASTCGI_END_REQUEST, id, sizeof(body));
	body[4] = (char)st;
	buf_add(b, body, sizeof(body));
}

static int
get_len(const unsigned char *p, size_t len, size_t *off, size_t *out)
{
	if (*off >= len)
		return -1;
	if (!(p[*off] & 0x80)) {
		*out = p[(*off)++];
		return 0;
	}
	if (len - *off < 4)
		return -1;
	*out = ((size_t)p[*off] & 0x7f) << 24 | (size_t)p[*off + 1] << 16 |
	    (size_t)p[*off + 2] << 8 | p[*off + 3];
	*off += 4;
	return 0;
}

/*
 * The name-value pairs of a PARAMS stream as a NULL-terminated "NAME=value"
 * array (for req_parse); NULL when they are malformed.  Names with '=' or
 * NUL, and values with NUL, are refused: they could not round-trip.
 */
char **
fastcgi_env(const unsigned char *p, size_t len)
{
	char	**env = NULL;
	size_t	  off = 0, n = 0, nl, vl;

	env = xcalloc(1, sizeof(char *));
	while (off < len) {
		if (get_len(p, len, &off, &nl) == -1 ||
		    get_len(p, len, &off, &vl) == -1 ||
		    nl == 0 || nl > len - off || vl > len - off - nl ||
		    memchr(p + off, '=', nl) != NULL ||
		    memchr(p + off, '\0', nl + vl) != NULL)
			goto bad;
		env = xrealloc(env, (n + 2) * sizeof(char *));
		env[n] = xmalloc(nl + vl + 2);
		memcpy(env[n], p + off, nl);
		env[n][nl] = '=';
		memcpy(env[n] + nl + 1, p + off + nl, vl);
		env[n][nl + vl + 1] = '\0';
		env[++n] = NULL;
		off += nl + vl;
	}
	return env;
bad:
	fastcgi_env_free(env);
	return NULL;
}

void
fastcgi_env_free(char **env)
{
	size_t	 i;

	if (env == NULL)
		return;
	for (i = 0; env[i] != NULL; i++)
		free(env[i]);
	free(env);
}

/*
 * libfcgi closes a connection with a lingering close: shutdown(), then
 * poll() and read() until the web server's EOF, so data it still sends
 * cannot turn into a reset that loses the answer.  Once the request's
 * stdin has been read to its end the web server sends nothing more, and
 * a plain close() is as safe: three of a request's dozen system calls.
 * The stdin's closing record is nearly always in libfcgi's buffer with
 * the request; a body left unread keeps the lingering close.  (The
 * benchmark's ceilings close the same way.)
 */
void
fastcgi_finish(FCGX_Request *fr)
{
	if (!fr->keepConnection && (FCGX_HasSeenEOF(fr->in) == EOF ||
	    FCGX_GetChar(fr->in) == EOF))
		(void)FCGX_Detach(fr);
	FCGX_Finish_r(fr);
}
