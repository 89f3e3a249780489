/* fastcgi: records cut from partial input, written records, parameters. */
#include <stdlib.h>
#include <string.h>

#include "fastcgi.h"
#include "tap.h"

int
main(void)
{
	static const unsigned char begin[] = {
		1, 1, 0, 7, 0, 8, 0, 0,  0, 1, 1, 0, 0, 0, 0, 0,
	};
	/* PARAMS with padding 3: "A"="xy", then a 200-byte value */
	unsigned char	 in[512], nv[300];
	struct fastcgi_rec rec;
	struct buf	 b = { NULL, 0, 0 };
	char		**env, big[70000];
	size_t		 off = 0, n, i;

	ok(fastcgi_next(begin, 7, &off, &rec) == 0 && off == 0,
	    "a partial header: wait for more");
	ok(fastcgi_next(begin, 12, &off, &rec) == 0 && off == 0,
	    "a partial body: wait for more");
	ok(fastcgi_next(begin, sizeof(begin), &off, &rec) == 1 &&
	    off == sizeof(begin), "a whole record");
	is_int(rec.type, FASTCGI_BEGIN_REQUEST, "its type");
	is_int(rec.id, 7, "its request id");
	ok(rec.len == 8 && rec.p[1] == FASTCGI_RESPONDER &&
	    rec.p[2] == FASTCGI_KEEP_CONN, "its body");
	in[0] = 2;
	off = 0;
	ok(fastcgi_next(in, 8, &off, &rec) == -1, "version 2: not FastCGI");

	n = 0;
	nv[n++] = 1;
	nv[n++] = 2;
	memcpy(nv + n, "Axy", 3);
	n += 3;
	nv[n++] = 1;
	nv[n++] = 0x80;
	nv[n++] = 0;
	nv[n++] = 0;
	nv[n++] = 200;
	nv[n++] = 'B';
	memset(nv + n, 'v', 200);
	n += 200;
	memcpy(in, (unsigned char []){ 1, 4, 0, 1, 0, (unsigned char)n, 3, 0 },
	    8);
	memcpy(in + 8, nv, n);
	memset(in + 8 + n, 0, 3);
	off = 0;
	ok(fastcgi_next(in, 8 + n + 3, &off, &rec) == 1 && off == 8 + n + 3,
	    "padding is skipped");
	env = fastcgi_env(rec.p, rec.len);
	ok(env != NULL, "name-value pairs, short and long lengths");
	if (env != NULL) {
		is_str(env[0], "A=xy", "a short pair");
		ok(strncmp(env[1], "B=vvv", 5) == 0 && strlen(env[1]) == 202,
		    "a four-byte length");
		ok(env[2] == NULL, "NULL-terminated");
	}
	fastcgi_env_free(env);
	ok(fastcgi_env(nv, n - 1) == NULL, "a value past the end: refused");
	ok(fastcgi_env((const unsigned char *)"\1\1=x", 4) == NULL,
	    "'=' in a name: refused");
	ok(fastcgi_env((const unsigned char *)"\1\1Z\0", 4) == NULL,
	    "NUL in a value: refused");
	ok(fastcgi_env((const unsigned char *)"\0\1x", 3) == NULL,
	    "an empty name: refused");

	memset(big, 'z', sizeof(big));
	fastcgi_put(&b, FASTCGI_STDOUT, 258, big, sizeof(big));
	ok(b.len == 8 + 65535 + 8 + (sizeof(big) - 65535),
	    "70000 bytes: two records");
	ok((unsigned char)b.p[2] == 1 && (unsigned char)b.p[3] == 2 &&
	    (unsigned char)b.p[4] == 0xff && (unsigned char)b.p[5] == 0xff,
	    "the first is 65535 bytes of request 258");
	buf_reset(&b);
	fastcgi_put(&b, FASTCGI_STDOUT, 1, NULL, 0);
	fastcgi_put_end(&b, 1, FASTCGI_REQUEST_COMPLETE);
	ok(b.len == 8 + 16 && b.p[1] == FASTCGI_STDOUT && b.p[5] == 0 &&
	    b.p[9] == FASTCGI_END_REQUEST && b.p[13] == 8,
	    "end of stdout, then END_REQUEST");
	off = 0;
	for (i = 0; fastcgi_next((unsigned char *)b.p, b.len, &off, &rec) == 1;
	    i++)
		continue;
	is_int(i, 2, "what we write reads back");
	buf_free(&b);
	return done_testing();
}
