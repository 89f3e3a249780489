/* config: chatrest.conf(5), one table of keys with types and defaults. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "util.h"

enum conf_type {
	CF_STR,		/* any string */
	CF_SECRET,	/* string of at least CONFIG_SECRET_MIN bytes */
	CF_INT,		/* decimal integer in [min, max] */
	CF_POW2,	/* CF_INT that is a power of two */
	CF_LIST,	/* words separated by spaces or commas */
	CF_HOSTS,	/* CF_LIST of lower-cased DNS names */
	CF_LEVEL,	/* log level name */
	CF_IDTYPE,	/* "localpart" or "mxid" */
	CF_DOMAINS,	/* CF_LIST of host=matrix.domain[:port] */
	CF_PREPARE,	/* "auto", "on" or "off" */
};

struct conf_key {
	const char	*section;
	const char	*name;
	enum conf_type	 type;
	size_t		 off;
	const char	*def;		/* NULL: unset */
	long		 min, max;
};

#define OFF(f)	offsetof(struct config, f)

static const struct conf_key conf_keys[] = {
	{ "server", "hosts", CF_HOSTS, OFF(hosts), NULL, 0, 0 },
	{ "server", "max_body", CF_INT, OFF(max_body), "65536", 1024, 16777216 },
	{ "server", "log_level", CF_LEVEL, OFF(log_level), "info", 0, 0 },
	{ "database", "conninfo", CF_STR, OFF(db_conninfo), "", 0, 0 },
	{ "database", "migrations", CF_STR, OFF(db_migrations),
	    CHATREST_SQLDIR_DEFAULT, 0, 0 },
	{ "password", "scrypt_n", CF_POW2, OFF(scrypt_n), "16384", 1024, 1048576 },
	{ "password", "scrypt_r", CF_INT, OFF(scrypt_r), "8", 1, 32 },
	{ "password", "scrypt_p", CF_INT, OFF(scrypt_p), "1", 1, 16 },
	{ "auth", "cache_size", CF_INT, OFF(cache_size), "4096", 0, 100000 },
	{ "auth", "cache_ttl", CF_INT, OFF(cache_ttl), "300", 1, 300 },
	{ "presence", "interval", CF_INT, OFF(presence_interval), "60", 0, 3600 },
	{ "presence", "window", CF_INT, OFF(presence_window), "300", 1, 86400 },
	{ "register", "key", CF_SECRET, OFF(register_key), NULL, 0, 0 },
	{ "client", "max_limit", CF_INT, OFF(client_max_limit), "500", 1, 100000 },
	{ "client", "muc_domain", CF_STR, OFF(client_muc_domain),
	    "muclight.@HOST@", 0, 0 },
	{ "client", "cors_origins", CF_LIST, OFF(client_cors), "", 0, 0 },
	{ "client", "all_can_configure", CF_INT, OFF(client_all_can_configure),
	    "0", 0, 1 },
	{ "admin", "key", CF_SECRET, OFF(admin_key), NULL, 0, 0 },
	{ "admin", "admins", CF_LIST, OFF(admins), "", 0, 0 },
	{ "admin", "allowed_commands", CF_LIST, OFF(admin_commands), "", 0, 0 },
	{ "web", "host", CF_HOSTS, OFF(web_host_list), NULL, 0, 0 },
	{ "web", "api_key", CF_SECRET, OFF(web_api_key), NULL, 0, 0 },
	{ "web", "jwt_secret", CF_SECRET, OFF(web_jwt_secret), NULL, 0, 0 },
	{ "web", "jwt_lifetime", CF_INT, OFF(web_jwt_lifetime), "300", 10, 900 },
	{ "web", "jwt_registered_only", CF_INT, OFF(web_jwt_registered_only),
	    "0", 0, 1 },
	{ "web", "cors_hosts", CF_LIST, OFF(web_cors_hosts), "", 0, 0 },
	/* the same name as in [client]; cors_hosts above is the old one */
	{ "web", "cors_origins", CF_LIST, OFF(web_cors_hosts), "", 0, 0 },
	{ "identity", "id_type", CF_IDTYPE, OFF(id_type), "localpart", 0, 0 },
	{ "identity", "matrix_domains", CF_DOMAINS, OFF(id_domains), "", 0, 0 },
	{ "identity", "hosts", CF_HOSTS, OFF(id_hosts), "", 0, 0 },
	{ "identity", "max_body", CF_INT, OFF(id_max_body), "2097152", 1024,
	    16777216 },
	{ "identity", "bulk_max", CF_INT, OFF(id_bulk_max), "10000", 1,
	    100000 },
	{ "identity", "directory_limit", CF_INT, OFF(id_directory_limit), "50",
	    1, 10000 },
	{ "identity", "fail_limit", CF_INT, OFF(id_fail_limit), "10", 0,
	    1000000 },
	{ "identity", "fail_window", CF_INT, OFF(id_fail_window), "900", 1,
	    86400 },
	{ "identity", "fail_delay", CF_INT, OFF(id_fail_delay), "1000", 0,
	    10000 },
	{ "client", "realm", CF_STR, OFF(client_realm), "mongooseim", 0, 0 },
	{ "web", "profile_webhook", CF_STR, OFF(web_profile_webhook), NULL,
	    0, 0 },
	/* The [identity] fail_* keys above are aliases of these. */
	{ "auth", "fail_limit", CF_INT, OFF(id_fail_limit), "10", 0, 1000000 },
	{ "auth", "fail_window", CF_INT, OFF(id_fail_window), "900", 1,
	    86400 },
	{ "auth", "address_limit", CF_INT, OFF(auth_address_limit), "100", 1,
	    1000000 },
	{ "auth", "account_limit", CF_INT, OFF(auth_account_limit), "100", 1,
	    1000000 },
	{ "server", "idempotency_window", CF_INT, OFF(idem_window), "86400", 0,
	    604800 },
	{ "database", "listen_conninfo", CF_STR, OFF(db_listen_conninfo), NULL,
	    0, 0 },
	{ "database", "read_conninfo", CF_STR, OFF(db_read_conninfo), "", 0, 0 },
	{ "database", "read_max_lag", CF_INT, OFF(db_read_max_lag), "5", 1,
	    86400 },
	{ "database", "prepare", CF_PREPARE, OFF(db_prepare), "auto", 0, 0 },
	{ "database", "idle_timeout", CF_INT, OFF(db_idle_timeout), "0", 0,
	    86400 },
	{ "database", "restart_check", CF_INT, OFF(db_restart_check), "2", 0,
	    3600 },
	{ "server", "front", CF_STR, OFF(server_front), NULL, 0, 0 },
	{ "events", "keepalive", CF_INT, OFF(ev_keepalive), "25", 1, 3600 },
	{ "events", "queue_max", CF_INT, OFF(ev_queue_max), "262144", 4096,
	    16777216 },
	{ "events", "max_streams", CF_INT, OFF(ev_max_streams), "20000", 1,
	    1000000 },
	{ "events", "keep", CF_INT, OFF(ev_keep), "86400", 60, 31536000 },
	{ "events", "sweep", CF_INT, OFF(ev_sweep), "1", 0, 3600 },
};

#define NKEYS	(sizeof(conf_keys) / sizeof(conf_keys[0]))

const char *
config_path(void)
{
	const char	*p;

	if ((p = getenv("CHATREST_CONFIG")) != NULL && *p != '\0')
		return p;
	return CHATREST_CONFIG_DEFAULT;
}

static void
strlist_free(struct strlist *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int
strlist_parse(struct strlist *l, const char *s, int hosts)
{
	const char	*p, *e;
	char		*w;
	size_t		 i;

	strlist_free(l);
	for (p = s; *p != '\0'; p = e) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		for (e = p; *e != '\0' && *e != ' ' && *e != '\t' &&
		    *e != ','; e++)
			continue;
		w = xstrndup(p, (size_t)(e - p));
		if (hosts) {
			for (i = 0; w[i] != '\0'; i++) {
				w[i] = (char)tolower((unsigned char)w[i]);
				if (!isalnum((unsigned char)w[i]) &&
				    w[i] != '.' && w[i] != '-') {
					free(w);
					return -1;
				}
			}
		}
		l->v = xrealloc(l->v, (l->n + 1) * sizeof(char *));
		l->v[l->n++] = w;
	}
	return 0;
}

/*
 * "host=domain" words: a host name, then a Matrix server name (a DNS
 * name, optionally with a port), lower-cased in place.
 */
static int
domains_check(struct strlist *l)
{
	size_t	 i, j;
	char	*w, *eq;
	int	 port;

	for (i = 0; i < l->n; i++) {
		w = l->v[i];
		if ((eq = strchr(w, '=')) == NULL || eq == w || eq[1] == '\0')
			return -1;
		port = 0;
		for (j = 0; w[j] != '\0'; j++) {
			w[j] = (char)tolower((unsigned char)w[j]);
			if (w + j == eq)
				continue;
			if (w + j > eq && w[j] == ':' && !port &&
			    w + j > eq + 1 && w[j + 1] != '\0') {
				port = 1;
				continue;
			}
			if (port ? !isdigit((unsigned char)w[j]) :
			    !isalnum((unsigned char)w[j]) && w[j] != '.' &&
			    w[j] != '-')
				return -1;
		}
	}
	return 0;
}

static int
conf_set(struct config *c, const struct conf_key *k, const char *val,
    const char **why)
{
	char		*p = (char *)c + k->off;
	char		*end;
	long		 n;

	switch (k->type) {
	case CF_SECRET:
		if (strlen(val) < CONFIG_SECRET_MIN) {
			*why = "secret shorter than 32 bytes";
			return -1;
		}
		/* FALLTHROUGH */
	case CF_STR:
		free(*(char **)p);
		*(char **)p = xstrdup(val);
		return 0;
	case CF_INT:
	case CF_POW2:
		errno = 0;
		n = strtol(val, &end, 10);
		if (*val == '\0' || *end != '\0' || errno != 0 ||
		    n < k->min || n > k->max) {
			*why = "integer out of range";
			return -1;
		}
		if (k->type == CF_POW2 && (n & (n - 1)) != 0) {
			*why = "not a power of two";
			return -1;
		}
		*(long *)p = n;
		return 0;
	case CF_LIST:
	case CF_HOSTS:
		if (strlist_parse((struct strlist *)p, val,
		    k->type == CF_HOSTS) == -1) {
			*why = "invalid host name";
			return -1;
		}
		return 0;
	case CF_LEVEL:
		if (log_level_parse(val, (enum log_level *)p) == -1) {
			*why = "expected error, warn, info or debug";
			return -1;
		}
		return 0;
	case CF_IDTYPE:
		if (strcmp(val, "localpart") == 0)
			*(long *)p = CONFIG_ID_LOCALPART;
		else if (strcmp(val, "mxid") == 0)
			*(long *)p = CONFIG_ID_MXID;
		else {
			*why = "expected localpart or mxid";
			return -1;
		}
		return 0;
	case CF_PREPARE:
		if (strcmp(val, "auto") == 0)
			*(long *)p = CONFIG_PREPARE_AUTO;
		else if (strcmp(val, "on") == 0)
			*(long *)p = CONFIG_PREPARE_ON;
		else if (strcmp(val, "off") == 0)
			*(long *)p = CONFIG_PREPARE_OFF;
		else {
			*why = "expected auto, on or off";
			return -1;
		}
		return 0;
	case CF_DOMAINS:
		if (strlist_parse((struct strlist *)p, val, 0) == -1 ||
		    domains_check((struct strlist *)p) == -1) {
			*why = "expected host=matrix.domain pairs";
			return -1;
		}
		return 0;
	}
	*why = "bad key type";
	return -1;
}

static char *
trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* A '#' starts a comment at the start of a line or after white space. */
static void
strip_comment(char *s)
{
	char	*p;

	for (p = s; *p != '\0'; p++)
		if (*p == '#' && (p == s || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			return;
		}
}

static int
conf_err(char *err, size_t errlen, const char *path, size_t line,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int
conf_err(char *err, size_t errlen, const char *path, size_t line,
    const char *fmt, ...)
{
	char	 msg[256];
	va_list	 ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		(void)snprintf(err, errlen, "%s:%zu: %s", path, line, msg);
	else
		(void)snprintf(err, errlen, "%s: %s", path, msg);
	return -1;
}

static int	identity_domains_unique(const struct config *);

struct config *
config_load(const char *path, char *err, size_t errlen)
{
	struct config	*c;
	FILE		*f = NULL;
	struct stat	 sb;
	char		 line[4096], section[64] = "";
	unsigned char	 seen[NKEYS];
	size_t		 lineno = 0, i, j;
	char		*s, *eq, *key, *val;
	const char	*why, *q;
	int		 rc = -1, served;

	c = xcalloc(1, sizeof(*c));
	c->path = xstrdup(path);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < NKEYS; i++)
		if (conf_keys[i].def != NULL &&
		    conf_set(c, &conf_keys[i], conf_keys[i].def, &why) == -1) {
			conf_err(err, errlen, path, 0, "bad default for %s",
			    conf_keys[i].name);
			goto out;
		}

	if ((f = fopen(path, "r")) == NULL) {
		conf_err(err, errlen, path, 0, "%s", strerror(errno));
		goto out;
	}
	/* It holds secrets: others must not change it, and should not read. */
	if (fstat(fileno(f), &sb) == -1) {
		conf_err(err, errlen, path, 0, "%s", strerror(errno));
		goto out;
	}
	if (sb.st_mode & S_IWOTH) {
		conf_err(err, errlen, path, 0, "writable by everyone "
		    "(mode %04o): refusing it", (unsigned)(sb.st_mode & 07777));
		goto out;
	}
	c->world_readable = (sb.st_mode & S_IROTH) != 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			conf_err(err, errlen, path, lineno, "line too long");
			goto out;
		}
		strip_comment(line);
		s = trim(line);
		if (*s == '\0')
			continue;
		if (*s == '[') {
			if (s[strlen(s) - 1] != ']' ||
			    strlen(s) - 2 >= sizeof(section)) {
				conf_err(err, errlen, path, lineno,
				    "malformed section header");
				goto out;
			}
			s[strlen(s) - 1] = '\0';
			(void)snprintf(section, sizeof(section), "%s",
			    trim(s + 1));
			for (i = 0; i < NKEYS; i++)
				if (strcmp(conf_keys[i].section, section) == 0)
					break;
			if (i == NKEYS) {
				conf_err(err, errlen, path, lineno,
				    "unknown section [%s]", section);
				goto out;
			}
			continue;
		}
		if ((eq = strchr(s, '=')) == NULL) {
			conf_err(err, errlen, path, lineno,
			    "expected key = value");
			goto out;
		}
		*eq = '\0';
		key = trim(s);
		val = trim(eq + 1);
		for (i = 0; i < NKEYS; i++)
			if (strcmp(conf_keys[i].section, section) == 0 &&
			    strcmp(conf_keys[i].name, key) == 0)
				break;
		if (i == NKEYS) {
			conf_err(err, errlen, path, lineno,
			    "unknown key \"%s\" in [%s]", key, section);
			goto out;
		}
		if (seen[i]) {
			conf_err(err, errlen, path, lineno,
			    "duplicate key \"%s\"", key);
			goto out;
		}
		/* An alias and its key both set: which one would win? */
		for (j = 0; j < NKEYS; j++)
			if (j != i && seen[j] &&
			    conf_keys[j].off == conf_keys[i].off) {
				conf_err(err, errlen, path, lineno,
				    "\"%s\" already set as [%s] %s", key,
				    conf_keys[j].section, conf_keys[j].name);
				goto out;
			}
		seen[i] = 1;
		/* An empty secret means "unset": the endpoint refuses. */
		if (conf_keys[i].type == CF_SECRET && *val == '\0')
			continue;
		if (conf_set(c, &conf_keys[i], val, &why) == -1) {
			conf_err(err, errlen, path, lineno, "%s: %s", key, why);
			goto out;
		}
	}
	if (ferror(f)) {
		conf_err(err, errlen, path, lineno, "read error");
		goto out;
	}
	if (c->hosts.n == 0) {
		conf_err(err, errlen, path, 0, "[server] hosts is not set");
		goto out;
	}
	/* BareRTC usernames are localparts on this one host. */
	if (c->web_host_list.n > 1) {
		conf_err(err, errlen, path, 0, "[web] host: one host only");
		goto out;
	}
	c->web_host = c->web_host_list.n == 1 ? c->web_host_list.v[0] :
	    c->hosts.v[0];
	if (!config_host_served(c, c->web_host)) {
		conf_err(err, errlen, path, 0,
		    "[web] host is not one of [server] hosts");
		goto out;
	}
	/* It is quoted into WWW-Authenticate as it is. */
	for (q = c->client_realm; *q >= 0x20 && *q < 0x7f && *q != '"' &&
	    *q != '\\'; q++)
		continue;
	if (*q != '\0' || q == c->client_realm) {
		conf_err(err, errlen, path, 0, "[client] realm: empty, or a "
		    "quote, backslash or control character");
		goto out;
	}
	if (c->web_profile_webhook != NULL &&
	    strncmp(c->web_profile_webhook, "http://", 7) != 0 &&
	    strncmp(c->web_profile_webhook, "https://", 8) != 0) {
		conf_err(err, errlen, path, 0,
		    "[web] profile_webhook: not an http or https URL");
		goto out;
	}
	for (i = 0; i < c->id_hosts.n; i++)
		if (!config_host_served(c, c->id_hosts.v[i])) {
			conf_err(err, errlen, path, 0, "[identity] hosts: %s is "
			    "not in [server] hosts", c->id_hosts.v[i]);
			goto out;
		}
	for (i = 0; i < c->id_domains.n; i++) {
		eq = strchr(c->id_domains.v[i], '=');
		*eq = '\0';
		served = config_host_served(c, c->id_domains.v[i]);
		*eq = '=';
		if (!served) {
			conf_err(err, errlen, path, 0, "[identity] "
			    "matrix_domains: %s: host not in [server] hosts",
			    c->id_domains.v[i]);
			goto out;
		}
	}
	/* The notification path goes where everything else goes, unless told. */
	if (c->db_listen_conninfo == NULL)
		c->db_listen_conninfo = xstrdup(c->db_conninfo != NULL ?
		    c->db_conninfo : "");
	if (identity_domains_unique(c) == -1) {
		conf_err(err, errlen, path, 0, "[identity] matrix_domains: "
		    "two hosts map to one Matrix domain");
		goto out;
	}
	rc = 0;
out:
	if (f != NULL)
		fclose(f);
	if (rc == -1) {
		config_free(c);
		return NULL;
	}
	return c;
}

void
config_free(struct config *c)
{
	size_t	 i;
	char	*p;

	if (c == NULL)
		return;
	for (i = 0; i < NKEYS; i++) {
		p = (char *)c + conf_keys[i].off;
		switch (conf_keys[i].type) {
		case CF_SECRET:
			if (*(char **)p != NULL)
				util_bzero(*(char **)p, strlen(*(char **)p));
			/* FALLTHROUGH */
		case CF_STR:
			free(*(char **)p);
			break;
		case CF_LIST:
		case CF_HOSTS:
		case CF_DOMAINS:
			strlist_free((struct strlist *)p);
			break;
		case CF_INT:
		case CF_POW2:
		case CF_LEVEL:
		case CF_IDTYPE:
		case CF_PREPARE:
			break;
		}
	}
	free(c->path);
	free(c);
}

int
config_list_has(const struct strlist *l, const char *s)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

int
config_host_served(const struct config *c, const char *host)
{
	size_t	 i;

	for (i = 0; i < c->hosts.n; i++)
		if (util_strcaseeq(c->hosts.v[i], host))
			return 1;
	return 0;
}

/* A host's MUC domain: [client] muc_domain with @HOST@ filled in. */
void
config_muc_domain(const struct config *c, const char *host, char *out,
    size_t sz)
{
	const char	*p = c->client_muc_domain, *at;
	struct buf	 b = { NULL, 0, 0 };

	while ((at = strstr(p, "@HOST@")) != NULL) {
		buf_add(&b, p, (size_t)(at - p));
		buf_adds(&b, host);
		p = at + 6;
	}
	buf_adds(&b, p);
	(void)snprintf(out, sz, "%s", b.p);
	buf_free(&b);
}

/* The served host whose MUC domain is domain (any case), or NULL. */
const char *
config_muc_host(const struct config *c, const char *domain)
{
	char	 d[256];
	size_t	 i;

	for (i = 0; i < c->hosts.n; i++) {
		config_muc_domain(c, c->hosts.v[i], d, sizeof(d));
		if (util_strcaseeq(d, domain))
			return c->hosts.v[i];
	}
	return NULL;
}

/* A host's Matrix domain: its matrix_domains entry, else the host itself. */
const char *
config_matrix_domain(const struct config *c, const char *host)
{
	size_t	 i, n = strlen(host);

	for (i = 0; i < c->id_domains.n; i++)
		if (strncmp(c->id_domains.v[i], host, n) == 0 &&
		    c->id_domains.v[i][n] == '=')
			return c->id_domains.v[i] + n + 1;
	return host;
}

static int
domain_eq(const char *a, const char *b)
{
	return util_strcaseeq(a, b);
}

/*
 * The host (as configured in [server] hosts) whose Matrix domain is
 * domain, among the hosts the identity backend serves; NULL if none.
 * A domain with a port also matches a Matrix domain given without one.
 */
const char *
config_matrix_host(const struct config *c, const char *domain)
{
	const struct strlist	*hosts;
	const char		*d, *colon;
	char			 bare[256];
	size_t			 i;
	int			 pass;

	hosts = config_identity_hosts(c);
	bare[0] = '\0';
	if ((colon = strrchr(domain, ':')) != NULL &&
	    (size_t)(colon - domain) < sizeof(bare) && colon[1] != '\0' &&
	    strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
		memcpy(bare, domain, (size_t)(colon - domain));
		bare[colon - domain] = '\0';
	}
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < hosts->n; i++) {
			d = config_matrix_domain(c, hosts->v[i]);
			if (pass == 0 ? domain_eq(d, domain) :
			    bare[0] != '\0' && domain_eq(d, bare))
				return hosts->v[i];
		}
	return NULL;
}

static int
identity_domains_unique(const struct config *c)
{
	size_t	 i, j;

	for (i = 0; i < c->hosts.n; i++)
		for (j = i + 1; j < c->hosts.n; j++)
			if (domain_eq(config_matrix_domain(c, c->hosts.v[i]),
			    config_matrix_domain(c, c->hosts.v[j])))
				return -1;
	return 0;
}

/* The hosts whose users the identity backend serves. */
const struct strlist *
config_identity_hosts(const struct config *c)
{
	return c->id_hosts.n > 0 ? &c->id_hosts : &c->hosts;
}
