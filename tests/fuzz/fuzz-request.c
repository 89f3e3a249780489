/*
 * libFuzzer: one request from CGI variables and a body (lib/http/request.c).
 * Input: "NAME=value" lines, a blank line, then the body, which is read
 * in pieces of varying size as a socket would give it.
 */
#include <assert.h>

#include "fuzz.h"
#include "request.h"

struct src {
	const uint8_t	*p;
	size_t		 left;
	size_t		 step;
};

static ssize_t
src_read(void *ctx, char *buf, size_t n)
{
	struct src	*s = ctx;

	if (n > s->left)
		n = s->left;
	if (n > s->step)
		n = s->step;
	memcpy(buf, s->p, n);
	s->p += n;
	s->left -= n;
	return (ssize_t)n;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req	 r;
	struct src	 s;
	char		*head, *line, *next, *env[64];
	const uint8_t	*sep;
	size_t		 hlen, n = 0;
	int		 st;

	if ((sep = memmem(data, size, "\n\n", 2)) == NULL)
		sep = data + size;
	hlen = (size_t)(sep - data);
	head = fuzz_str(data, hlen);
	for (line = head; line != NULL && n < 63; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*line != '\0')
			env[n++] = line;
	}
	env[n] = NULL;
	s.p = sep + (sep < data + size ? 2 : 0);
	s.left = size - (size_t)(s.p - data);
	s.step = size % 7 + 1;
	st = req_parse_limit(&r, NULL, 4096, env, src_read, &s);
	if (st == 0) {
		assert(r.bodylen <= 4096);
		(void)req_json(&r);
		(void)req_param(&r, "key");
		(void)req_header(&r, "Authorization");
		(void)req_remote(&r);
	}
	req_free(&r);
	free(head);
	return 0;
}
