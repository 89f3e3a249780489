/*
 * A FastCGI (or CGI) responder that echoes what the web server handed it.
 * The e2e tests mount it with the same apache/ snippets as the real
 * executables, to check things no chatrest reply reveals: that the
 * Authorization header arrives, how the path is split, and that
 * CHATREST_CONFIG reaches the process environment.
 */
#include <fcgi_stdio.h>
#include <stdlib.h>

static const char *const vars[] = {
	"REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING",
	"CONTENT_TYPE", "CONTENT_LENGTH", "HTTP_AUTHORIZATION", NULL
};

int
main(void)
{
	/* fcgi_stdio swaps environ per request: read the process env first. */
	const char	*cfg = getenv("CHATREST_CONFIG");
	const char	*v;
	long		 n;
	size_t		 i;

	while (FCGI_Accept() >= 0) {
		for (n = 0; getchar() != EOF; n++)
			;
		printf("Status: 200 OK\r\nContent-Type: text/plain\r\n\r\n");
		printf("CHATREST_CONFIG=%s\n", cfg != NULL ? cfg : "");
		for (i = 0; vars[i] != NULL; i++) {
			v = getenv(vars[i]);
			printf("%s=%s\n", vars[i], v != NULL ? v : "");
		}
		printf("body=%ld\n", n);
	}
	return 0;
}
