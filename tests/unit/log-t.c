/* log: levels, the line format, and escaping of whatever a client sent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "tap.h"

static char	 path[] = "/tmp/chatrest-log-t.XXXXXX";

/* What the log calls since the last call wrote to stderr. */
static const char *
logged(void)
{
	static char	 out[4096];
	FILE		*f;
	size_t		 n;

	(void)fflush(stderr);
	if ((f = fopen(path, "r")) == NULL)
		abort();
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	if (truncate(path, 0) == -1)
		abort();
	return out;
}

int
main(void)
{
	enum log_level	 l;
	char		 want[256];
	int		 fd;

	if ((fd = mkstemp(path)) == -1)
		abort();
	close(fd);
	if (freopen(path, "a", stderr) == NULL)
		abort();

	log_init("chatrest-test");
	log_set_level(LOG_INFO);
	log_info("user %s registered", "alice");
	(void)snprintf(want, sizeof(want),
	    "chatrest-test[%ld]: info: user alice registered\n", (long)getpid());
	is_str(logged(), want, "program, pid, level, message, one line");

	log_set_reqid("r42");
	log_warn("x");
	(void)snprintf(want, sizeof(want), "chatrest-test[%ld]: warn: [r42] x\n",
	    (long)getpid());
	is_str(logged(), want, "request id");
	log_set_reqid(NULL);

	log_debug("hidden");
	is_str(logged(), "", "below the level: nothing");
	log_error("shown");
	ok(strstr(logged(), ": error: shown\n") != NULL, "above the level");

	log_info("%s", "a\nchatrest-register[1]: error: forged\r\x1b[31m\\\xc3\xa9");
	(void)snprintf(want, sizeof(want), "chatrest-test[%ld]: info: "
	    "a\\x0achatrest-register[1]: error: forged\\x0d\\x1b[31m\\\\\\xc3\\xa9\n",
	    (long)getpid());
	is_str(logged(), want, "newlines, control bytes, backslash and "
	    "non-ASCII escaped");

	ok(log_level_parse("debug", &l) == 0 && l == LOG_DEBUG, "parse debug");
	ok(log_level_parse("warn", &l) == 0 && l == LOG_WARN, "parse warn");
	ok(log_level_parse("loud", &l) == -1, "unknown level");
	ok(log_level_parse("INFO", &l) == -1, "levels are lower case");

	unlink(path);
	return done_testing();
}
