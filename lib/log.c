/* log: one escaped line per event on stderr (the web server's error log). */

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static const char *const log_names[LOG__MAX] = {
	"error", "warn", "info", "debug",
};

static const char	*log_prog = "chatrest";
static enum log_level	 log_level = LOG_INFO;
static char		 log_reqid[32];
/* "prog[pid]: ", built once: no getpid() per line. */
static char		 log_head[96];
static size_t		 log_headlen;

static void
log_forked(void)
{
	log_headlen = 0;
}

void
log_init(const char *prog)
{
	static int	 once;

	log_prog = prog;
	log_headlen = 0;
	if (!once++)
		(void)pthread_atfork(NULL, NULL, log_forked);
}

void
log_set_level(enum log_level l)
{
	log_level = l;
}

int
log_level_parse(const char *s, enum log_level *l)
{
	int	 i;

	for (i = 0; i < LOG__MAX; i++)
		if (strcmp(s, log_names[i]) == 0) {
			*l = (enum log_level)i;
			return 0;
		}
	return -1;
}

void
log_set_reqid(const char *id)
{
	if (id == NULL)
		log_reqid[0] = '\0';
	else
		(void)snprintf(log_reqid, sizeof(log_reqid), "%s", id);
}

/*
 * Messages may quote client input; escape everything that is not printable
 * ASCII so a client cannot forge log lines or terminal sequences.  The
 * line is built on the stack and goes out in one write(2).
 */
void
log_msg(enum log_level l, const char *fmt, ...)
{
	static const char hex[] = "0123456789abcdef";
	char		 raw[1024], line[sizeof(log_head) + 48 + 4 * 1024 + 1];
	size_t		 n, len, off;
	ssize_t		 w;
	va_list		 ap;
	const unsigned char *p;

	if (l > log_level)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);

	if (log_headlen == 0) {
		(void)snprintf(log_head, sizeof(log_head), "%s[%ld]: ",
		    log_prog, (long)getpid());
		log_headlen = strlen(log_head);
	}
	memcpy(line, log_head, log_headlen);
	len = log_headlen;
	n = strlen(log_names[l]);
	memcpy(line + len, log_names[l], n);
	len += n;
	line[len++] = ':';
	line[len++] = ' ';
	if (log_reqid[0] != '\0') {
		n = strlen(log_reqid);
		line[len++] = '[';
		memcpy(line + len, log_reqid, n);
		len += n;
		line[len++] = ']';
		line[len++] = ' ';
	}
	for (p = (const unsigned char *)raw; *p != '\0'; p++) {
		if (*p == '\\') {
			line[len++] = '\\';
			line[len++] = '\\';
		} else if (*p < 0x20 || *p >= 0x7f) {
			line[len++] = '\\';
			line[len++] = 'x';
			line[len++] = hex[*p >> 4];
			line[len++] = hex[*p & 0xf];
		} else
			line[len++] = (char)*p;
	}
	line[len++] = '\n';
	/* Whatever stdio holds goes first, so lines stay in order. */
	(void)fflush(stderr);
	for (off = 0; off < len; off += (size_t)w)
		if ((w = write(STDERR_FILENO, line + off, len - off)) == -1) {
			if (errno != EINTR)
				break;
			w = 0;
		}
}
