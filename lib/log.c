/* log: one escaped line per event on stderr (the web server's error log). */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

static const char *const log_names[LOG__MAX] = {
	"error", "warn", "info", "debug",
};

static const char	*log_prog = "chatrest";
static enum log_level	 log_level = LOG_INFO;
static char		 log_reqid[32];

void
log_init(const char *prog)
{
	log_prog = prog;
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
 * ASCII so a client cannot forge log lines or terminal sequences.
 */
void
log_msg(enum log_level l, const char *fmt, ...)
{
	char		 raw[1024];
	struct buf	 line = { NULL, 0, 0 };
	va_list		 ap;
	const unsigned char *p;

	if (l > log_level)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);

	buf_addf(&line, "%s[%ld]: %s: ", log_prog, (long)getpid(),
	    log_names[l]);
	if (log_reqid[0] != '\0')
		buf_addf(&line, "[%s] ", log_reqid);
	for (p = (const unsigned char *)raw; *p != '\0'; p++) {
		if (*p == '\\')
			buf_adds(&line, "\\\\");
		else if (*p < 0x20 || *p >= 0x7f)
			buf_addf(&line, "\\x%02x", *p);
		else
			buf_addc(&line, (char)*p);
	}
	buf_addc(&line, '\n');
	(void)fwrite(line.p, 1, line.len, stderr);
	(void)fflush(stderr);
	buf_free(&line);
}
