/*
 * A FastCGI (or CGI) responder that echoes what the web server handed it.
 * The e2e tests mount it with the same apache/ snippets as the real
 * executables, to check things no chatrest reply reveals: that the
 * Authorization header arrives, how the path is split, and that
 * CHATREST_CONFIG and GNUTLS_NO_IMPLICIT_INIT reach the process environment.
 */
#include <fcgi_stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"

static const char *const vars[] = {
	"REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING",
	"CONTENT_TYPE", "CONTENT_LENGTH", "HTTP_AUTHORIZATION", NULL
};

int
main(int argc, char **argv)
{
	/* fcgi_stdio swaps environ per request: read the process env first. */
	const char	*cfg = getenv("CHATREST_CONFIG");
	const char	*gnutls = getenv("GNUTLS_NO_IMPLICIT_INIT");
	const char	*v;
	long		 n;
	size_t		 i;

	/* -l socket -n count: a pool, as chatrest's executables run one */
	if (argc == 5 && strcmp(argv[1], "-l") == 0 &&
	    strcmp(argv[3], "-n") == 0)
		return pool_run(argv[2], atoi(argv[4]), argv[0]);
	while (FCGI_Accept() >= 0) {
		for (n = 0; getchar() != EOF; n++)
			;
		printf("Status: 200 OK\r\nContent-Type: text/plain\r\n\r\n");
		printf("CHATREST_CONFIG=%s\n", cfg != NULL ? cfg : "");
		printf("GNUTLS_NO_IMPLICIT_INIT=%s\n",
		    gnutls != NULL ? gnutls : "");
		for (i = 0; vars[i] != NULL; i++) {
			v = getenv(vars[i]);
			printf("%s=%s\n", vars[i], v != NULL ? v : "");
		}
		printf("body=%ld\n", n);
		printf("argv0=%s\n", argv[0]);
	}
	return 0;
}
