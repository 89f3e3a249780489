/*
 * app: one executable's main loop, run as FastCGI, CGI or from a terminal.
 *
 * FCGX_Accept_r() does not fall back to CGI by itself, so the mode is
 * chosen here: arguments mean a terminal, a socket on stdin FastCGI,
 * REQUEST_METHOD in the environment CGI.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "app.h"
#include "fastcgi.h"
#include "base64.h"
#include "db.h"
#include "idem.h"
#include "log.h"
#include "pool.h"
#include "util.h"

extern char	**environ;

static volatile sig_atomic_t	 app_stop;

/* The configuration file, and what it was when it failed to load. */
static const char	*app_cfg_path;
static char		 app_cfg_err[512];
static struct stat	 app_cfg_st;
static int		 app_cfg_exists;
static struct config	*app_late_cfg;

static int
app_same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	    a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	    a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	    a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/*
 * A process started with a bad or unreadable configuration answers 503,
 * and loads the file again once it has changed (mtime, ctime for a chmod,
 * inode for a replaced file): fixing the file is enough, no restart.  One
 * stat() per request while broken; nothing once loaded.
 */
static const struct config *
app_config_again(const struct app *app)
{
	struct stat	 st;
	int		 exists;

	if (app_late_cfg != NULL || app_cfg_path == NULL)
		return app_late_cfg;
	exists = stat(app_cfg_path, &st) == 0;
	if (exists == app_cfg_exists &&
	    (!exists || app_same_file(&st, &app_cfg_st)))
		return NULL;
	app_cfg_exists = exists;
	if (exists)
		app_cfg_st = st;
	if ((app_late_cfg = config_load(app_cfg_path, app_cfg_err,
	    sizeof(app_cfg_err))) == NULL) {
		log_error("%s", app_cfg_err);
		return NULL;
	}
	log_info("%s changed and is loaded now", app_cfg_path);
	log_set_level(app_late_cfg->log_level);
	db_init(app_late_cfg->db_conninfo, app->name);
	db_obey_restarts();
	return app_late_cfg;
}

/* The route, its flags, then the handler; errors in the API's shape. */
int
app_dispatch(const struct app *app, struct req *r, struct resp *w)
{
	const struct route	*rt;
	unsigned		 allow;
	struct buf		 b = { NULL, 0, 0 };
	int			 st;

	/*
	 * A method no API has (r->method 0) is refused before anything
	 * looks further: prepare hooks leave it to the router, unless their
	 * API answers it itself (MongooseIM's 501).
	 */
	if (app->prepare != NULL && (st = app->prepare(r, w)) != 0)
		return st;
	if ((st = router_match(app->routes, app->nroutes, r, &rt,
	    &allow)) != 0) {
		st = app->error(w, st);
		if (st == 405) {
			router_allow(allow, &b);
			(void)resp_header(w, "Allow", b.p);
			buf_free(&b);
		}
		return st;
	}
	if ((rt->flags & R_JSON) && (st = req_json(r)) != 0)
		return st;
	(void)db_retry_take();
	st = rt->flags & R_IDEM ? idem_run(r, w, rt->fn) : rt->fn(r, w);
	if (app->retry_db && st == 503 && !w->has_body && db_retry_take()) {
		log_info("running the request again");
		db_rollback();
		resp_reset(w);
		st = rt->flags & R_IDEM ? idem_run(r, w, rt->fn) :
		    rt->fn(r, w);
	}
	return st;
}

/* [server] max_body, unless the API sets its own limit. */
static size_t
app_body_limit(const struct app *app, const struct config *cfg)
{
	if (cfg == NULL)
		return 65536;
	if (app->max_body != NULL)
		return (size_t)app->max_body(cfg);
	return (size_t)cfg->max_body;
}

/* One request from envp and a body stream, answered through out. */
int
app_serve(const struct app *app, const struct config *cfg, char **envp,
    req_readfn rd, void *rctx, enum resp_form form, resp_writefn out,
    void *wctx)
{
	struct req	 r;
	struct resp	 w;
	const char	*path, *addr;
	char		 ra[24];
	int		 st;

	if (cfg == NULL)
		cfg = app_config_again(app);
	resp_init(&w);
	st = req_parse_limit(&r, cfg, app_body_limit(app, cfg), envp, rd, rctx);
	log_set_reqid(r.id);
	if (cfg == NULL)
		st = 503;
	if (st == 0)
		st = app_dispatch(app, &r, &w);
	if (!w.has_body) {
		resp_reset(&w);
		st = app->error(&w, st);
	}
	w.status = st;
	if (app->finish != NULL && r.cfg != NULL)
		app->finish(&r, &w);
	if (st == 503)
		(void)resp_header(&w, "Retry-After", "5");
	else if (r.retry_after > 0) {
		(void)snprintf(ra, sizeof(ra), "%ld", r.retry_after);
		(void)resp_header(&w, "Retry-After", ra);
	}
	/* The id of this request's log lines, for a client's bug report. */
	(void)resp_header(&w, "X-Request-Id", r.id);
	/*
	 * The path only, never a query string (it may carry keys); and not
	 * even that for a method no API has (CONNECT's target is a host).
	 */
	path = r.method != 0 && r.path != NULL ? r.path : "-";
	if ((addr = req_getenv(&r, "REMOTE_ADDR")) == NULL || *addr == '\0')
		addr = "-";
	log_info("%s %.*s %d from %s", r.method != 0 ? r.method_name : "-",
	    (int)strcspn(path, "?"), path, st, addr);
	if (resp_emit(&w, form, r.method == M_HEAD, out, wctx) == -1)
		log_warn("client went away before the response was written");
	req_free(&r);
	resp_free(&w);
	log_set_reqid(NULL);
	return st;
}

/* A body read from a descriptor (ctx points to it), as CGI gives it. */
ssize_t
app_fd_read(void *ctx, char *p, size_t n)
{
	ssize_t	 r;

	do
		r = read(*(int *)ctx, p, n);
	while (r == -1 && errno == EINTR);
	return r;
}

static int
file_write(void *ctx, const char *p, size_t n)
{
	return fwrite(p, 1, n, ctx) == n ? 0 : -1;
}

static ssize_t
fcgi_read(void *ctx, char *p, size_t n)
{
	if (n > 1 << 30)
		n = 1 << 30;
	return FCGX_GetStr(p, (int)n, ctx);
}

static int
fcgi_write(void *ctx, const char *p, size_t n)
{
	return FCGX_PutStr(p, (int)n, ctx) == (int)n ? 0 : -1;
}

static void
on_signal(int sig)
{
	(void)sig;
	app_stop = 1;
	FCGX_ShutdownPending();
}

/*
 * Processes of one executable on one front leave a restart in waves, by
 * the order in which they learnt of it (db_slot): the web server then
 * always has a live process to send a request to while it starts new
 * ones (lighttpd looks for dead processes about once a second).  Four
 * waves match the shipped max-procs, and keep the whole restart under
 * five seconds however many processes there are.
 */
#define APP_STAGGER_MS	1500
#define APP_WAVES	4

/* [server] front, or this host's name. */
static void
app_front(const struct config *cfg, char *out, size_t len)
{
	if (cfg->server_front != NULL && *cfg->server_front != '\0') {
		(void)snprintf(out, len, "%s", cfg->server_front);
		return;
	}
	if (gethostname(out, len) == -1 || *out == '\0')
		(void)snprintf(out, len, "localhost");
	out[len - 1] = '\0';
}

/*
 * Before leaving on a restart, answer the connections the web server has
 * already made: they sit in the listen socket's queue, and exiting would
 * reset them (the server then fails the request, where a connection
 * refused after we are gone is retried on another process).  fd 0 is
 * non-blocking, so the loop ends at the first empty accept.
 */
static void
fcgi_drain(const struct app *app, const struct config *cfg, FCGX_Request *fr)
{
	while (FCGX_Accept_r(fr) >= 0) {
		(void)app_serve(app, cfg, fr->envp, fcgi_read, fr->in,
		    RESP_CGI, fcgi_write, fr->out);
		fastcgi_finish(fr);
	}
	(void)close(0);
}

/*
 * Wait for whichever comes first: a connection on the FastCGI listen
 * socket (fd 0), the server closing the PostgreSQL connection, or a
 * timer.  A
 * restart (POST /api/shutdown of chatrest-web, from any process on any
 * web server sharing the database) makes the process leave after the
 * request in hand; its process manager (lighttpd, mod_fcgid) starts a
 * fresh one, which reads the configuration again.
 *
 * It learns of the restart from the stored notices (lib/db.c says why
 * not by LISTEN): with the first statement of a request once every
 * [database] restart_check seconds, and as often while idle.  After a
 * reconnect it looks at once, so nothing sent meanwhile is lost.
 *
 * fd 0 is non-blocking: when several processes share one listen socket,
 * another may take the connection poll() announced, and accept() must
 * then come back (EAGAIN) rather than block past a notification.  The
 * accepted connections themselves stay blocking (accept() does not pass
 * O_NONBLOCK on).
 */
static int
run_fastcgi(const struct app *app, const struct config *cfg)
{
	FCGX_Request		 fr;
	struct sigaction	 sa;
	struct pollfd		 pfd[2];
	char			 front[256] = "";
	long long		 leave_at = 0, now, check_at = 0, idle_at = 0;
	long long		 due;
	int			 fl, rc, slot, wait, closed = 0, served = 0;

	if (FCGX_Init() != 0 || FCGX_InitRequest(&fr, 0, 0) != 0) {
		log_error("FastCGI initialisation failed");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGUSR1, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGPIPE, &sa, NULL);
	if ((fl = fcntl(0, F_GETFL)) == -1 ||
	    fcntl(0, F_SETFL, fl | O_NONBLOCK) == -1)
		log_warn("cannot make the FastCGI socket non-blocking");
	if (cfg != NULL) {
		app_front(cfg, front, sizeof(front));
		db_obey_restarts();
		/*
		 * Knowing the newest notice before a request; with an idle
		 * timeout, connect only for the first request.
		 */
		if (cfg->db_idle_timeout == 0)
			(void)db_restart_check();
		else
			closed = 1;
	}

	while (!app_stop) {
		if (db_notified() && leave_at == 0) {
			slot = db_slot(front, app->name);
			if (slot < 0)
				slot = (int)getpid();
			wait = slot % APP_WAVES * APP_STAGGER_MS;
			leave_at = util_now_ms() + wait;
			log_info("restart requested through the database: "
			    "leaving in %d ms", wait);
		}
		now = util_now_ms();
		if (leave_at != 0 && now >= leave_at) {
			fcgi_drain(app, cfg, &fr);
			break;
		}
		if (cfg != NULL && leave_at == 0) {
			if (idle_at != 0 && now >= idle_at) {
				log_debug("idle: closing the database "
				    "connection");
				db_close();
				closed = 1;
				idle_at = 0;
			}
			if (closed || cfg->db_restart_check == 0)
				check_at = 0;
			else if (check_at == 0)
				check_at = now + cfg->db_restart_check * 1000;
			else if (now >= check_at) {
				(void)db_restart_check();
				check_at = 0;
				continue;
			}
		}
		due = leave_at != 0 ? leave_at : check_at;
		if (idle_at != 0 && (due == 0 || idle_at < due))
			due = idle_at;
		/*
		 * Right after a request, try the next connection first: under
		 * load one is waiting, and the poll() would only say so.
		 */
		if (!served) {
			pfd[0].fd = 0;
			pfd[0].events = POLLIN;
			pfd[1].fd = db_fd();
			pfd[1].events = POLLIN;
			if (poll(pfd, pfd[1].fd >= 0 ? 2 : 1, due == 0 ? -1 :
			    (int)(due - now + 1)) == -1) {
				if (errno == EINTR)
					continue;
				log_error("poll: %s", strerror(errno));
				break;
			}
			if (pfd[1].fd >= 0)
				db_polled((pfd[1].revents & (POLLIN | POLLERR |
				    POLLHUP)) != 0);
			if (!(pfd[0].revents & POLLIN)) {
				if (pfd[0].revents & (POLLERR | POLLHUP |
				    POLLNVAL))
					break;
				continue; /* the database spoke, or a timer */
			}
		}
		served = 0;
		if ((rc = FCGX_Accept_r(&fr)) < 0) {
			if (rc == -EAGAIN || rc == -EWOULDBLOCK || rc == -EINTR)
				continue;
			break;
		}
		db_request_begin();
		(void)app_serve(app, cfg, fr.envp, fcgi_read, fr.in, RESP_CGI,
		    fcgi_write, fr.out);
		fastcgi_finish(&fr);
		closed = 0;
		served = 1;
		if (cfg != NULL && cfg->db_idle_timeout > 0)
			idle_at = util_now_ms() + cfg->db_idle_timeout * 1000;
	}
	FCGX_Free(&fr, 1);
	return 0;
}

/*
 * A body sent without CONTENT_LENGTH (Apache's mod_cgi passes chunked
 * bodies that way) is refused unread; swallow a bounded amount of it so
 * the server's write into our stdin cannot fail and cut our answer short.
 */
static void
cgi_drain(const struct app *app, const struct config *cfg)
{
	const char	*cl = getenv("CONTENT_LENGTH");
	const char	*m = getenv("REQUEST_METHOD");
	struct pollfd	 pfd = { STDIN_FILENO, POLLIN, 0 };
	char		 sink[4096];
	size_t		 left;
	ssize_t		 n;

	if ((cl != NULL && *cl != '\0') || m == NULL ||
	    (strcmp(m, "POST") != 0 && strcmp(m, "PUT") != 0 &&
	    strcmp(m, "PATCH") != 0))
		return;
	left = app_body_limit(app, cfg);
	while (left > 0 && poll(&pfd, 1, 1000) == 1) {
		if ((n = read(STDIN_FILENO, sink, sizeof(sink))) <= 0)
			break;
		left -= (size_t)n > left ? left : (size_t)n;
	}
}

static int
run_cgi(const struct app *app, const struct config *cfg)
{
	int	 fd = STDIN_FILENO, rc;

	(void)app_serve(app, cfg, environ, app_fd_read, &fd, RESP_CGI,
	    file_write, stdout);
	rc = fflush(stdout) == 0 ? 0 : 1;
	cgi_drain(app, cfg);
	return rc;
}

static void
usage(const struct app *app, FILE *f)
{
	if (app->usage != NULL) {
		fprintf(f, "%s", app->usage);
		return;
	}
	fprintf(f, "usage: %s [-hV] [-c file] [-u user:password] "
	    "[-H 'Name: value'] [-d json|@file|@-] method path\n", app->name);
}

/*
 * --routes: the route table, one "pattern<TAB>methods" line per row, for
 * tests that hold the API documents against what is really served.
 */
static void
routes(const struct app *app)
{
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i;

	for (i = 0; i < app->nroutes; i++) {
		buf_reset(&b);
		router_allow(app->routes[i].methods, &b);
		printf("%s\t%s\n", app->routes[i].pattern, b.p != NULL ? b.p : "");
	}
	buf_free(&b);
}

/* -h: the usage line, then every option and the three ways to run. */
static void
help(const struct app *app)
{
	usage(app, stdout);
	printf("\noptions:\n"
	    "  -c file         configuration file (default: $CHATREST_CONFIG,"
	    " else\n"
	    "                  %s)\n"
	    "  -h, --help      print this help and exit\n"
	    "  -V, --version   print the version and exit\n"
	    "  -l socket       run as a FastCGI pool on this unix socket\n"
	    "  -n count        processes of the pool (default: 4)\n",
	    CHATREST_CONFIG_DEFAULT);
	if (app->command == NULL)
		printf("  -u user:pass    send HTTP Basic credentials\n"
		    "  -H 'Name: v'    send a request header (repeatable)\n"
		    "  -d data         send a body: JSON text, @file, or @- for"
		    " standard input\n"
		    "                  (Content-Type: application/json unless"
		    " -H sets one)\n");
	printf("\nmodes:\n"
	    "  FastCGI         started by a web server with a socket on"
	    " standard input\n"
	    "  CGI             started with REQUEST_METHOD in the"
	    " environment: one request\n");
	if (app->command != NULL)
		printf("  terminal        with arguments: run one command"
		    " against the database\n"
		    "                  (%s help lists them)\n", app->name);
	else
		printf("  terminal        with arguments: build one request,"
		    " print the HTTP response;\n"
		    "                  exit 0 below 400, 1 from 400 up, 2 on"
		    " usage or config errors\n");
	printf("\nSee %s(8) and chatrest.conf(5). Report bugs to <%s>.\n",
	    app->name, PACKAGE_BUGREPORT);
}

static char *
read_data(const char *arg)
{
	struct buf	 b = { NULL, 0, 0 };
	FILE		*f;
	char		 chunk[8192];
	size_t		 n;

	if (arg[0] != '@')
		return xstrdup(arg);
	f = strcmp(arg, "@-") == 0 ? stdin : fopen(arg + 1, "r");
	if (f == NULL) {
		fprintf(stderr, "%s: %s\n", arg + 1, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	if (f != stdin)
		fclose(f);
	if (b.p == NULL)
		buf_adds(&b, "");
	return b.p;
}

/* A body held in memory, read as a stream (req_readfn). */
ssize_t
app_body_read(void *ctx, char *p, size_t n)
{
	struct app_body	*b = ctx;

	if (n > b->left)
		n = b->left;
	memcpy(p, b->p, n);
	b->p += n;
	b->left -= n;
	return (ssize_t)n;
}

static void
env_add(char ***env, size_t *n, char *kv)
{
	*env = xrealloc(*env, (*n + 2) * sizeof(char *));
	(*env)[(*n)++] = kv;
	(*env)[*n] = NULL;
}

/* A header line "Name: value" as its CGI variable. */
static char *
env_header(const char *line)
{
	const char	*colon, *v;
	struct buf	 b = { NULL, 0, 0 };
	const char	*p;

	if ((colon = strchr(line, ':')) == NULL || colon == line)
		return NULL;
	for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
		continue;
	if (util_strncaseeq(line, "Content-Type:", 13))
		buf_adds(&b, "CONTENT_TYPE");
	else {
		buf_adds(&b, "HTTP_");
		for (p = line; p < colon; p++)
			buf_addc(&b, *p == '-' ? '_' :
			    (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p);
	}
	buf_addf(&b, "=%s", v);
	return b.p;
}

/* Build one request from the command line and print the response. */
static int
run_terminal(const struct app *app, const struct config *cfg, char *userpass,
    char **headers, size_t nheaders, char *data, int argc, char **argv)
{
	char			**env = NULL, *q, *b64;
	size_t			 nenv = 0, i;
	struct app_body		 tb = { "", 0 };
	int			 st, have_ctype = 0, rc = 2;

	if (argc != 2 || argv[1][0] != '/') {
		usage(app, stderr);
		goto out;
	}
	env_add(&env, &nenv, xasprintf("REQUEST_METHOD=%s", argv[0]));
	env_add(&env, &nenv, xstrdup("GATEWAY_INTERFACE=CGI/1.1"));
	env_add(&env, &nenv, xstrdup("SERVER_PROTOCOL=HTTP/1.1"));
	env_add(&env, &nenv, xstrdup("REMOTE_ADDR=127.0.0.1"));
	env_add(&env, &nenv, xstrdup("SCRIPT_NAME="));
	if ((q = strchr(argv[1], '?')) != NULL) {
		env_add(&env, &nenv, xasprintf("QUERY_STRING=%s", q + 1));
		*q = '\0';
	}
	env_add(&env, &nenv, xasprintf("PATH_INFO=%s", argv[1]));
	for (i = 0; i < nheaders; i++) {
		char	*kv;

		if ((kv = env_header(headers[i])) == NULL) {
			fprintf(stderr, "%s: bad header: %s\n", app->name,
			    headers[i]);
			goto out;
		}
		have_ctype |= strncmp(kv, "CONTENT_TYPE=", 13) == 0;
		env_add(&env, &nenv, kv);
	}
	if (userpass != NULL) {
		b64 = xmalloc(BASE64_ENCODED_LEN(strlen(userpass)));
		(void)base64_encode((const unsigned char *)userpass,
		    strlen(userpass), b64);
		env_add(&env, &nenv, xasprintf("HTTP_AUTHORIZATION=Basic %s",
		    b64));
		free(b64);
	}
	if (data != NULL) {
		tb.p = data;
		tb.left = strlen(data);
		env_add(&env, &nenv, xasprintf("CONTENT_LENGTH=%zu", tb.left));
		if (!have_ctype)
			env_add(&env, &nenv,
			    xstrdup("CONTENT_TYPE=application/json"));
	}
	st = app_serve(app, cfg, env, app_body_read, &tb, RESP_HTTP, file_write,
	    stdout);
	(void)fputc('\n', stdout);
	rc = st < 400 ? 0 : 1;
out:
	for (i = 0; i < nenv; i++)
		free(env[i]);
	free(env);
	return rc;
}

/*
 * Process managers may start us with stdout or stderr closed.  The next
 * descriptor opened would then be the database socket, and a log line
 * would be written into the PostgreSQL protocol: point them at /dev/null.
 */
static void
app_fix_fds(void)
{
	int	 fd;

	for (fd = STDOUT_FILENO; fd <= STDERR_FILENO; fd++)
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF &&
		    open("/dev/null", O_WRONLY) != fd)
			abort();
}

const char *
app_config_path(void)
{
	return app_cfg_path;
}

/* Why the configuration did not load, for commands run without one. */
const char *
app_config_error(void)
{
	return app_cfg_err;
}

int
app_main(const struct app *app, int argc, char **argv)
{
	struct config	*cfg;
	const char	*path = NULL;
	const char	*sock = NULL;
	char		*userpass = NULL, *data = NULL, **headers = NULL, *end;
	size_t		 nheaders = 0;
	long		 nprocs = 4;
	int		 ch, rc = 2, terminal = argc > 1;

	app_fix_fds();
	log_init(app->name);
	/* The long forms of -h and -V, alone, as GNU tools take them. */
	if (terminal && strcmp(argv[1], "--help") == 0) {
		help(app);
		return 0;
	}
	if (terminal && strcmp(argv[1], "--version") == 0) {
		printf("%s %s\n", app->name, PACKAGE_VERSION);
		return 0;
	}
	if (terminal && strcmp(argv[1], "--routes") == 0) {
		routes(app);
		return 0;
	}
	while (terminal && (ch = getopt(argc, argv, "+c:d:H:hl:n:u:V")) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'd':
			free(data);
			if ((data = read_data(optarg)) == NULL)
				goto out;
			break;
		case 'H':
			headers = xrealloc(headers,
			    (nheaders + 1) * sizeof(char *));
			headers[nheaders++] = optarg;
			break;
		case 'h':
			help(app);
			rc = 0;
			goto out;
		case 'l':
			sock = optarg;
			break;
		case 'n':
			errno = 0;
			nprocs = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    nprocs < 1 || nprocs > POOL_MAX) {
				fprintf(stderr, "%s: -n: a number of processes "
				    "from 1 to %d\n", app->name, POOL_MAX);
				goto out;
			}
			break;
		case 'u':
			userpass = optarg;
			break;
		case 'V':
			printf("%s %s\n", app->name, PACKAGE_VERSION);
			rc = 0;
			goto out;
		default:
			usage(app, stderr);
			goto out;
		}
	}
	if (sock != NULL) {
		if (optind < argc) {
			usage(app, stderr);
			goto out;
		}
		/* the processes load the configuration, each for itself */
		if (path != NULL && setenv("CHATREST_CONFIG", path, 1) == -1)
			goto out;
		rc = pool_run(sock, (int)nprocs, strchr(argv[0], '/') != NULL ?
		    argv[0] : "/proc/self/exe");
		goto out;
	}
	if (path == NULL)
		path = config_path();
	app_cfg_path = path;
	/* before loading: a fix made in between is not missed */
	app_cfg_exists = stat(path, &app_cfg_st) == 0;
	if ((cfg = config_load(path, app_cfg_err, sizeof(app_cfg_err))) ==
	    NULL) {
		if (!terminal)
			log_error("%s", app_cfg_err);
	} else {
		log_set_level(cfg->log_level);
		db_init(cfg->db_conninfo, app->name);
		db_configure(cfg);
	}

	if (terminal) {
		/* A command without a config decides itself (help, status). */
		if (app->command != NULL)
			rc = app->command(cfg, argc - optind, argv + optind);
		else if (cfg == NULL) {
			fprintf(stderr, "%s: %s\n", app->name, app_cfg_err);
			rc = 2;
		} else
			rc = run_terminal(app, cfg, userpass, headers,
			    nheaders, data, argc - optind, argv + optind);
	} else if (!FCGX_IsCGI()) {
		/* Once per process: a CGI request each would drown the log. */
		if (cfg != NULL && cfg->world_readable)
			log_warn("%s is readable by everyone: so are the "
			    "secrets in it (chmod o-r)", path);
		rc = run_fastcgi(app, cfg);
	} else if (getenv("REQUEST_METHOD") != NULL)
		rc = run_cgi(app, cfg);
	else {
		usage(app, stderr);
		rc = 2;
	}
	db_close();
	config_free(cfg);
	config_free(app_late_cfg);
	app_late_cfg = NULL;
out:
	free(data);
	free(headers);
	return rc;
}
