/*
 * sse-bench: hold N GET /api/sse streams, post one-to-one messages at a
 * fixed rate, and measure what arrives.
 *
 *   sse-bench -h 127.0.0.1 -p 8089 [-p 8090] -n 10000 -r 500 -d 20 \
 *       -u ben -w pw -s poster [-P events-pid ...] [-L web-server-pid ...]
 *
 * Stream i belongs to user <u><i % users>@localhost (-U users, default
 * n); messages go round-robin to the users whose streams are open, from
 * the user -s, and carry their send time, so each event's latency is
 * receipt minus POST.  One thread, non-blocking sockets, epoll.
 *
 * Prints streams held, events delivered/expected, latency p50/p99/max,
 * and the resident memory of the -P processes (the events processes).
 */
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define POSTERS		16
#define CONNECTING_MAX	256

enum kind { K_STREAM, K_POST };

struct cn {
	enum kind	 kind;
	int		 fd;
	int		 state;		/* 0 connecting, 1 waiting, 2 open/idle */
	int		 user;
	char		*buf;
	size_t		 len, cap;
	long long	 sent_at;	/* poster: time of the POST in hand */
	int		 to;		/* poster: its recipient */
};

static struct sockaddr_in	 sa[4];
static int			 nsa;
static int			 epfd;
static const char		*upfx = "ben", *pw = "pw", *poster = "poster";
static int			 nusers;
static long			 held, delivered, expected, posted, failed;
static long			 connecting, refused, dropped;
struct lat {
	double	*v;
	size_t	 n, cap;
};
static struct lat		 lat, slat, plat;	/* event, store, POST */
static int			*user_open;	/* streams open per user */
static int			 next_front;
static long long		 t_start, worst[64];	/* per second of posting */

static long long
now_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
b64(const char *in, char *out)
{
	static const char	 t[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t			 n = strlen(in), i, o = 0;
	unsigned		 v;

	for (i = 0; i < n; i += 3) {
		v = (unsigned char)in[i] << 16;
		if (i + 1 < n)
			v |= (unsigned char)in[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)in[i + 2];
		out[o++] = t[v >> 18 & 63];
		out[o++] = t[v >> 12 & 63];
		out[o++] = i + 1 < n ? t[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? t[v & 63] : '=';
	}
	out[o] = '\0';
}

static void
auth_of(const char *local, char *out)
{
	char	 up[256];

	snprintf(up, sizeof(up), "%s@localhost:%s", local, pw);
	b64(up, out);
}

static struct cn *
cn_open(enum kind k, int user)
{
	struct epoll_event	 ev;
	struct cn		*c;
	int			 fd, one = 1;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1)
		return NULL;
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/* streams spread over the fronts; posts through each in turn */
	if (connect(fd, (struct sockaddr *)&sa[(k == K_STREAM ? user :
	    next_front++) % nsa], sizeof(sa[0])) == -1 &&
	    errno != EINPROGRESS) {
		close(fd);
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	c->kind = k;
	c->fd = fd;
	c->user = user;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLOUT;
	ev.data.ptr = c;
	epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
	connecting++;
	return c;
}

static void
want(struct cn *c, unsigned events)
{
	struct epoll_event	 ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	ev.data.ptr = c;
	epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static void
writeall(int fd, const char *p, size_t n)
{
	ssize_t	 w;

	while (n > 0) {
		if ((w = write(fd, p, n)) <= 0) {
			if (w == -1 && errno == EAGAIN)
				continue;	/* small requests: rare */
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

static void
stream_request(struct cn *c)
{
	char	 local[64], a[256], req[512];
	int	 n;

	snprintf(local, sizeof(local), "%s%d", upfx, c->user);
	auth_of(local, a);
	/* HTTP/1.0: no chunking to undo, the stream ends with the socket */
	n = snprintf(req, sizeof(req), "GET /api/sse HTTP/1.0\r\n"
	    "Host: bench\r\nAuthorization: Basic %s\r\n\r\n", a);
	writeall(c->fd, req, (size_t)n);
}

static void
post(struct cn *c, int to)
{
	char		 a[256], body[256], req[1024];
	int		 n, bl;

	auth_of(poster, a);
	c->sent_at = now_us();
	c->to = to;
	bl = snprintf(body, sizeof(body),
	    "{\"to\":\"%s%d@localhost\",\"body\":\"t=%lld\"}", upfx, to,
	    c->sent_at);
	n = snprintf(req, sizeof(req), "POST /api/messages HTTP/1.1\r\n"
	    "Host: bench\r\nAuthorization: Basic %s\r\n"
	    "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
	    a, bl, body);
	writeall(c->fd, req, (size_t)n);
	c->state = 1;
}

static void
add_lat(struct lat *l, double ms)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 65536;
		l->v = realloc(l->v, l->cap * sizeof(double));
	}
	l->v[l->n++] = ms;
}

/* Complete lines of a stream: the header, then events. */
static void
stream_lines(struct cn *c)
{
	char		*p = c->buf, *e, *t;
	long long	 sent, now;

	while ((e = memchr(p, '\n', c->len - (size_t)(p - c->buf))) != NULL) {
		*e = '\0';
		if (c->state == 1 && strncmp(p, "HTTP/1.", 7) == 0) {
			if (strncmp(p + 9, "200", 3) == 0) {
				c->state = 2;
				held++;
				user_open[c->user]++;
			} else {
				if (refused < 5)
					fprintf(stderr, "refused: %s\n", p);
				refused++;
				c->state = 3;
			}
		} else if (c->state == 2 && strncmp(p, "data: ", 6) == 0 &&
		    (t = strstr(p, "\"body\":\"t=")) != NULL) {
			now = now_us();
			sent = strtoll(t + 10, NULL, 10);
			add_lat(&lat, (now - sent) / 1000.0);
			if (t_start != 0 && (sent - t_start) / 1000000 < 64 &&
			    now - sent > worst[(sent - t_start) / 1000000])
				worst[(sent - t_start) / 1000000] = now - sent;
			/* the archive's time: the store's commit, nearly */
			if ((t = strstr(p, "\"timestamp\":")) != NULL)
				add_lat(&slat, (now - strtoll(t + 12, NULL,
				    10)) / 1000.0);
			delivered++;
		}
		p = e + 1;
	}
	c->len -= (size_t)(p - c->buf);
	memmove(c->buf, p, c->len);
}

/* A poster's reply: headers and a Content-Length body. */
static void
post_reply(struct cn *c)
{
	char	*h, *cl;
	size_t	 need;

	if (c->len > 0)
		c->buf[c->len] = '\0';
	if ((h = strstr(c->buf, "\r\n\r\n")) == NULL)
		return;
	cl = strstr(c->buf, "Content-Length: ");
	need = (size_t)(h + 4 - c->buf) + (cl ? strtoul(cl + 16, NULL, 10) : 0);
	if (c->len < need)
		return;
	if (strncmp(c->buf + 9, "200", 3) == 0) {
		posted++;
		add_lat(&plat, (now_us() - c->sent_at) / 1000.0);
		expected += user_open[c->to];
	} else
		failed++;
	memmove(c->buf, c->buf + need, c->len - need);
	c->len -= need;
	c->state = 2;
	c->sent_at = 0;
}

static int
cn_read(struct cn *c)
{
	ssize_t	 r;

	for (;;) {
		if (c->cap - c->len < 4097) {
			c->cap = c->cap ? c->cap * 2 : 8192;
			c->buf = realloc(c->buf, c->cap);
		}
		r = read(c->fd, c->buf + c->len, c->cap - c->len - 1);
		if (r == -1 && errno == EAGAIN)
			return 0;
		if (r <= 0)
			return -1;
		c->len += (size_t)r;
		if (c->kind == K_STREAM)
			stream_lines(c);
		else
			post_reply(c);
	}
}

static long
rss_kib(int pid)
{
	char	 path[64], line[256];
	FILE	*f;
	long	 kb = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	fclose(f);
	return kb;
}

/* user + system CPU seconds of a process */
static double
cpu_s(int pid)
{
	char	 path[64], buf[1024], *p;
	FILE	*f;
	unsigned long ut = 0, st = 0;
	int	 i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fgets(buf, sizeof(buf), f) == NULL || (p = strrchr(buf, ')')) ==
	    NULL) {
		fclose(f);
		return -1;
	}
	fclose(f);
	/* fields 14 and 15, counted after the command name */
	for (i = 0; i < 12 && p != NULL; i++)
		p = strchr(p + 1, ' ');
	if (p != NULL)
		sscanf(p, " %lu %lu", &ut, &st);
	return (double)(ut + st) / sysconf(_SC_CLK_TCK);
}

static int
cmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
print_lat(const char *what, struct lat *l)
{
	if (l->n == 0)
		return;
	qsort(l->v, l->n, sizeof(double), cmp);
	printf("latency %s, ms: p50 %.1f  p99 %.1f  max %.1f\n", what,
	    l->v[l->n / 2], l->v[l->n * 99 / 100], l->v[l->n - 1]);
}

int
main(int argc, char **argv)
{
	struct epoll_event	 evs[512];
	struct cn		**streams, *posters[POSTERS], *c;
	struct rlimit		 rl;
	const char		*host = "127.0.0.1";
	int			 ports[4], nports = 0, n = 100, rate = 100;
	int			 dur = 10;
	int			 pids[16], npids = 0, nweb = 0, ch, i, j, k, opened = 0;
	int			 next_to = 0, settle = 3;
	long long		 t0, t_post0 = 0, t_end = 0, due;
	long			 rss0[16], rss1[16], grow = 0;
	double			 cpu0[16];
	int			 web[16];
	struct rusage		 ru;

	while ((ch = getopt(argc, argv, "d:h:L:n:P:p:r:s:U:u:w:")) != -1) {
		switch (ch) {
		case 'd': dur = atoi(optarg); break;
		case 'h': host = optarg; break;
		case 'n': n = atoi(optarg); break;
		case 'P': if (npids < 16) pids[npids++] = atoi(optarg); break;
		case 'L':	/* reported, not counted per stream */
			if (npids < 16) {
				nweb++;
				pids[npids++] = -atoi(optarg);
			}
			break;
		case 'p': if (nports < 4) ports[nports++] = atoi(optarg); break;
		case 'r': rate = atoi(optarg); break;
		case 's': poster = optarg; break;
		case 'U': nusers = atoi(optarg); break;
		case 'u': upfx = optarg; break;
		case 'w': pw = optarg; break;
		default:
			fprintf(stderr, "usage: sse-bench [-h host] [-p port] "
			    "[-n streams] [-U users] [-r posts/s] [-d s] "
			    "[-u prefix] [-w password] [-s poster] [-P pid]\n");
			return 2;
		}
	}
	if (nusers <= 0)
		nusers = n;
	for (i = 0; i < npids; i++) {
		web[i] = pids[i] < 0;
		pids[i] = abs(pids[i]);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (nports == 0)
		ports[nports++] = 8089;
	for (nsa = 0; nsa < nports; nsa++) {
		memset(&sa[nsa], 0, sizeof(sa[nsa]));
		sa[nsa].sin_family = AF_INET;
		sa[nsa].sin_port = htons((unsigned short)ports[nsa]);
		inet_pton(AF_INET, host, &sa[nsa].sin_addr);
	}
	epfd = epoll_create1(0);
	user_open = calloc((size_t)nusers, sizeof(int));
	streams = calloc((size_t)n, sizeof(*streams));
	for (i = 0; i < npids; i++)
		rss0[i] = rss_kib(pids[i]);

	/* Open the streams, a bounded number connecting at a time. */
	t0 = now_us();
	while (held + refused < n && now_us() - t0 < 600000000LL) {
		while (opened < n && connecting < CONNECTING_MAX) {
			streams[opened] = cn_open(K_STREAM, opened % nusers);
			opened++;
		}
		k = epoll_wait(epfd, evs, 512, 100);
		for (i = 0; i < k; i++) {
			c = evs[i].data.ptr;
			if (c->state == 0 && (evs[i].events & EPOLLOUT)) {
				connecting--;
				stream_request(c);
				c->state = 1;
				want(c, EPOLLIN);
			}
			if ((evs[i].events & (EPOLLIN | EPOLLHUP)) &&
			    cn_read(c) == -1) {
				if (c->state == 2) {
					held--;
					user_open[c->user]--;
				} else if (c->state != 3) {
					if (dropped++ < 5)
						fprintf(stderr, "closed before a "
						    "reply: %s\n", strerror(errno));
					refused++;
				}
				epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
				close(c->fd);
				c->state = -1;
			}
		}
	}
	printf("streams held: %ld of %d (opened in %.1f s, %ld refused)\n",
	    held, n, (now_us() - t0) / 1e6, refused);
	for (i = 0; i < npids; i++) {
		rss1[i] = rss_kib(pids[i]);
		printf("%s %d: RSS %ld KiB before, %ld KiB with the streams\n",
		    web[i] ? "web server" : "events process", pids[i], rss0[i],
		    rss1[i]);
		if (!web[i])
			grow += rss1[i] - rss0[i];
	}
	if (npids > nweb && held > 0)
		printf("events processes: %.2f KiB more resident memory per "
		    "stream\n", (double)grow / held);
	fflush(stdout);

	for (i = 0; i < npids; i++)
		cpu0[i] = cpu_s(pids[i]);
	for (i = 0; i < POSTERS; i++)
		posters[i] = cn_open(K_POST, 0);
	t_post0 = t_start = now_us();
	due = 0;
	for (;;) {
		long long	 now = now_us();
		long		 want_posts;

		if (now - t_post0 >= (long long)dur * 1000000) {
			if (t_end == 0)
				t_end = now;
			if (now - t_end >= (long long)settle * 1000000)
				break;
		} else {
			want_posts = (long)((now - t_post0) * rate / 1000000);
			for (i = 0; i < POSTERS && due < want_posts; i++) {
				if (posters[i]->state != 2)
					continue;
				/* recipients with a stream open */
				for (k = 0; k < nusers &&
				    user_open[next_to] == 0; k++)
					next_to = (next_to + 1) % nusers;
				post(posters[i], next_to);
				next_to = (next_to + 1) % nusers;
				due++;
			}
		}
		k = epoll_wait(epfd, evs, 512, 1);
		for (i = 0; i < k; i++) {
			c = evs[i].data.ptr;
			if (c->state == 0 && (evs[i].events & EPOLLOUT)) {
				connecting--;
				c->state = 2;
				want(c, EPOLLIN);
				continue;
			}
			if ((evs[i].events & (EPOLLIN | EPOLLHUP)) &&
			    cn_read(c) == -1) {
				if (c->kind == K_STREAM && c->state == 2) {
					held--;
					user_open[c->user]--;
				}
				epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
				close(c->fd);
				c->state = -1;
				/* keep-alive limits end posters: open anew,
				   and count the POST in hand as failed */
				if (c->kind == K_POST) {
					for (j = 0; j < POSTERS; j++)
						if (posters[j] == c)
							posters[j] = cn_open(K_POST, 0);
					if (c->sent_at != 0 && c->len == 0 &&
					    c->to >= 0)
						failed++;
				}
			}
		}
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("sse-bench itself: %.1f CPU seconds in all\n",
	    ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	printf("worst latency by second of posting, ms:");
	for (i = 0; i < dur && i < 64; i++)
		printf(" %lld", worst[i] / 1000);
	printf("\n");
	print_lat("POST sent -> event received", &lat);
	print_lat("stored (archive time) -> event received", &slat);
	print_lat("POST sent -> 200 received", &plat);
	printf("posted: %ld in %d s (%.0f/s asked %d/s), failed %ld\n", posted,
	    dur, (double)posted / dur, rate, failed);
	printf("streams held at the end: %ld\n", held);
	printf("events delivered/expected: %ld/%ld (%.2f%%)\n", delivered,
	    expected, expected ? 100.0 * delivered / expected : 0.0);
	for (i = 0; i < npids; i++)
		printf("%s %d: RSS %ld KiB at the end, %.1f CPU "
		    "seconds while posting\n", web[i] ? "web server" :
		    "events process", pids[i], rss_kib(pids[i]),
		    cpu_s(pids[i]) - cpu0[i]);
	return delivered == expected && expected > 0 ? 0 : 1;
}
