/*
 * pool: a fixed set of FastCGI processes on one listen socket, for web
 * servers that connect to a socket rather than start the processes
 * themselves (Apache mod_proxy_fcgi, nginx).
 *
 *	return pool_run("/run/chatrest/chatrest-client.sock", 4, argv[0]);
 */
#ifndef POOL_H
#define POOL_H

#define POOL_MAX	256	/* processes of one pool */

int	pool_run(const char *, int, const char *);

#endif
