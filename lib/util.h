/* util: allocation that aborts on exhaustion, growable buffers, secrets. */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>

struct buf {
	char	*p;		/* always NUL-terminated when non-NULL */
	size_t	 len;
	size_t	 cap;
};

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

void	 buf_add(struct buf *, const char *, size_t);
void	 buf_adds(struct buf *, const char *);
void	 buf_addc(struct buf *, char);
void	 buf_addll(struct buf *, long long);
void	 buf_addf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_reset(struct buf *);
void	 buf_free(struct buf *);

int	 util_secret_eq(const char *, size_t, const char *, size_t);
int	 util_utf8_valid(const char *, size_t);
long long util_now_ms(void);
void	 util_random(void *, size_t);
void	 util_hex(const unsigned char *, size_t, char *);
void	 util_bzero(void *, size_t);
int	 util_strcaseeq(const char *, const char *);
int	 util_strncaseeq(const char *, const char *, size_t);

#endif
