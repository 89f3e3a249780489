/*
 * listen-probe: drives lib/listen from a poll loop, as a live-events
 * process would, and prints what it hears, one line each:
 *
 *	listen-probe CONNINFO SECONDS CHANNEL...
 *
 * "ready" after each (re)connect, "down" when the connection is lost,
 * "note CHANNEL PAYLOAD" per notification.  Exits after SECONDS.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "listen.h"
#include "log.h"

static void
on_note(void *arg, const char *chan, const char *payload)
{
	(void)arg;
	printf("note %s %s\n", chan, payload);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	struct listen	*l;
	struct pollfd	 pfd;
	time_t		 end;

	if (argc < 4) {
		fprintf(stderr, "usage: listen-probe conninfo seconds "
		    "channel...\n");
		return 2;
	}
	log_init("listen-probe");
	end = time(NULL) + atoi(argv[2]);
	l = listen_start(argv[1], "listen-probe",
	    (const char *const *)argv + 3, (size_t)(argc - 3), on_note, NULL);
	while (time(NULL) < end) {
		pfd.fd = listen_fd(l, &pfd.events);
		pfd.revents = 0;
		if (poll(&pfd, pfd.fd >= 0 ? 1 : 0, listen_timeout(l) < 0 ?
		    1000 : listen_timeout(l)) == -1)
			continue;
		switch (listen_run(l)) {
		case LISTEN_READY:
			printf("ready\n");
			break;
		case LISTEN_DOWN:
			printf("down\n");
			break;
		default:
			break;
		}
		fflush(stdout);
	}
	listen_stop(l);
	return 0;
}
