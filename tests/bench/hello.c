/*
 * bench-hello: the ceiling of the web server -> FastCGI path.  A libfcgi
 * accept loop that answers every request with a fixed small JSON body and
 * does nothing else: no configuration, no database, no log line.
 */
#include <fcgiapp.h>
#include <stdlib.h>
#include <string.h>

#include "fastcgi.h"
#include "pool.h"

static const char reply[] =
    "Status: 200 OK\r\n"
    "Content-Type: application/json\r\n"
    "Content-Length: 11\r\n"
    "\r\n"
    "{\"ok\":true}";

int
main(int argc, char **argv)
{
	FCGX_Request	 r;

	/* -l socket -n count: a pool of its own, as chatrest's executables */
	if (argc == 5 && strcmp(argv[1], "-l") == 0 &&
	    strcmp(argv[3], "-n") == 0)
		return pool_run(argv[2], atoi(argv[4]), argv[0]);
	if (FCGX_Init() != 0 || FCGX_InitRequest(&r, 0, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&r) >= 0) {
		FCGX_PutStr(reply, (int)strlen(reply), r.out);
		fastcgi_finish(&r);
	}
	return 0;
}
