/*
 * pool: a fixed set of FastCGI processes on one listen socket.
 *
 * The parent binds the socket and runs n copies of the program with it as
 * standard input, each a FastCGI process exactly as lighttpd or mod_fcgid
 * would start it, and runs another whenever one ends: a restart (POST
 * /api/shutdown) makes them leave in waves, and they come back having read
 * the configuration anew.  Connections wait in the socket's backlog until
 * a process is free, so a burst queues for a few milliseconds instead of
 * waiting for a process to be started (mod_fcgid sleeps a second).
 *
 * SIGTERM, SIGINT: the processes finish the request in hand, the socket is
 * removed.  SIGHUP: every process is replaced (the configuration re-read).
 * A process that ends within a second of its start is run again after a
 * growing pause, so a broken installation does not fork in a loop.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "pool.h"
#include "util.h"

#define POOL_QUICK_MS	1000	/* an end sooner than this backs off */
#define POOL_BACKOFF_MS	250	/* doubled up to the max */
#define POOL_BACKOFF_MAX 8000
#define POOL_STOP_MS	10000	/* for the requests in hand, then SIGKILL */

struct pool_proc {
	pid_t		 pid;		/* 0: not running */
	long long	 started;
	long long	 due;		/* when to start it again */
	long		 backoff;
};

/* Signals are taken by sigtimedwait(); a handler only so none is lost. */
static void
pool_on_signal(int sig)
{
	(void)sig;
}

/*
 * The listen socket as fd 0.  A socket file left by a pool that died is
 * replaced; one that still answers belongs to a running pool, and any
 * other file is not ours to remove.
 */
static int
pool_listen(const char *path)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	size_t			 len = strlen(path);
	int			 fd = -1, rc = -1;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (len >= sizeof(sun.sun_path)) {
		log_error("%s: socket path too long", path);
		goto out;
	}
	memcpy(sun.sun_path, path, len + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1) {
		log_error("socket: %s", strerror(errno));
		goto out;
	}
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			log_error("%s exists and is not a socket", path);
			goto out;
		}
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
			log_error("%s: another pool is listening there", path);
			goto out;
		}
		(void)close(fd);
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
		    unlink(path) == -1) {
			log_error("%s: %s", path, strerror(errno));
			goto out;
		}
	}
	/* the longest queue the kernel allows (net.core.somaxconn) */
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(fd, SOMAXCONN) == -1) {
		log_error("cannot listen on %s: %s", path, strerror(errno));
		goto out;
	}
	if (fd != 0 && dup2(fd, 0) == -1) {
		log_error("dup2: %s", strerror(errno));
		(void)unlink(path);
		goto out;
	}
	rc = 0;
out:
	if (fd > 0)
		(void)close(fd);
	return rc;
}

static void
pool_start(struct pool_proc *p, const char *prog, const sigset_t *mask)
{
	struct sigaction	 sa;
	pid_t			 pid;

	if ((pid = fork()) == -1) {
		log_error("fork: %s", strerror(errno));
		p->due = util_now_ms() + POOL_BACKOFF_MAX;
		return;
	}
	if (pid == 0) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_DFL;
		sigemptyset(&sa.sa_mask);
		(void)sigaction(SIGCHLD, &sa, NULL);
		(void)sigaction(SIGHUP, &sa, NULL);
		(void)sigaction(SIGTERM, &sa, NULL);
		(void)sigaction(SIGINT, &sa, NULL);
		(void)sigprocmask(SIG_SETMASK, mask, NULL);
		/* no arguments and a socket on stdin: a FastCGI process */
		execl(prog, prog, (char *)NULL);
		log_error("cannot run %s: %s", prog, strerror(errno));
		_exit(127);
	}
	p->pid = pid;
	p->started = util_now_ms();
	p->due = 0;
}

/* A process ended: when to start the next in its place. */
static void
pool_ended(struct pool_proc *p, int status)
{
	long long	 now = util_now_ms();
	int		 failed;

	failed = !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	if (WIFSIGNALED(status))
		log_warn("process %ld killed by signal %d", (long)p->pid,
		    WTERMSIG(status));
	else if (failed)
		log_warn("process %ld exited with status %d", (long)p->pid,
		    WEXITSTATUS(status));
	else
		log_debug("process %ld left", (long)p->pid);
	p->pid = 0;
	if (now - p->started < POOL_QUICK_MS) {
		p->due = now + p->backoff;
		p->backoff = p->backoff * 2 > POOL_BACKOFF_MAX ?
		    POOL_BACKOFF_MAX : p->backoff * 2;
	} else {
		p->due = now;
		p->backoff = POOL_BACKOFF_MS;
	}
}

static void
pool_signal_all(struct pool_proc *procs, int n, int sig)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (procs[i].pid > 0)
			(void)kill(procs[i].pid, sig);
}

/* Reap what has ended; the number still running. */
static int
pool_reap(struct pool_proc *procs, int n, int respawn)
{
	pid_t	 pid;
	int	 i, status, alive = 0;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		for (i = 0; i < n; i++)
			if (procs[i].pid == pid) {
				if (respawn)
					pool_ended(&procs[i], status);
				else
					procs[i].pid = 0;
				break;
			}
	for (i = 0; i < n; i++)
		alive += procs[i].pid > 0;
	return alive;
}

/*
 * Runs n copies of prog on the unix socket path until SIGTERM or SIGINT;
 * the exit status for main().
 */
int
pool_run(const char *path, int n, const char *prog)
{
	struct pool_proc	*procs = NULL;
	struct sigaction	 sa;
	struct timespec		 ts;
	sigset_t		 set, old;
	long long		 now, next, stop_at;
	int			 i, sig, rc = 1;

	if (n < 1 || n > POOL_MAX) {
		log_error("processes: %d, not between 1 and %d", n, POOL_MAX);
		return 2;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	(void)sigprocmask(SIG_BLOCK, &set, &old);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = pool_on_signal;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGCHLD, &sa, NULL);
	(void)sigaction(SIGHUP, &sa, NULL);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	if (pool_listen(path) == -1)
		goto out;
	/*
	 * libpq loads GnuTLS (through libldap), which sets itself up at load
	 * time: 840 kB touched, 130 kB of heap and 0.7 ms in every process,
	 * for nothing, as libldap initialises it itself before any LDAP TLS.
	 */
	if (setenv("GNUTLS_NO_IMPLICIT_INIT", "1", 0) == -1)
		log_warn("setenv: %s", strerror(errno));
	procs = xcalloc((size_t)n, sizeof(*procs));
	for (i = 0; i < n; i++) {
		procs[i].backoff = POOL_BACKOFF_MS;
		pool_start(&procs[i], prog, &old);
	}
	log_info("%d processes on %s", n, path);

	for (;;) {
		now = util_now_ms();
		next = 0;
		for (i = 0; i < n; i++) {
			if (procs[i].pid != 0)
				continue;
			if (procs[i].due <= now)
				pool_start(&procs[i], prog, &old);
			if (procs[i].pid == 0 &&
			    (next == 0 || procs[i].due < next))
				next = procs[i].due;
		}
		if (next != 0) {
			ts.tv_sec = (next - now) / 1000;
			ts.tv_nsec = (next - now) % 1000 * 1000000;
		}
		sig = sigtimedwait(&set, NULL, next != 0 ? &ts : NULL);
		if (sig == SIGTERM || sig == SIGINT)
			break;
		if (sig == SIGHUP) {
			log_info("SIGHUP: replacing the processes");
			pool_signal_all(procs, n, SIGTERM);
		}
		(void)pool_reap(procs, n, 1);
	}

	log_info("stopping");
	(void)unlink(path);
	pool_signal_all(procs, n, SIGTERM);
	stop_at = util_now_ms() + POOL_STOP_MS;
	while (pool_reap(procs, n, 0) > 0) {
		if ((now = util_now_ms()) >= stop_at) {
			log_warn("processes still running: SIGKILL");
			pool_signal_all(procs, n, SIGKILL);
			stop_at = now + POOL_STOP_MS;
		}
		ts.tv_sec = 0;
		ts.tv_nsec = 100 * 1000000;
		(void)sigtimedwait(&set, NULL, &ts);
	}
	rc = 0;
out:
	free(procs);
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}
