/*
 * auth: HTTP Basic credentials and the per-process verification cache.
 *
 * Only successes are cached, keyed by an HMAC (random per-process key)
 * over the JID and the password; an entry holds the user's id and the
 * stored hash it was verified against, and counts only while the row
 * still holds that hash.  Either the row is read first (auth_basic), or
 * the statement that answers the request checks the row itself
 * (auth_basic_cached, struct user_check): a changed password or a
 * deleted or disabled account never passes on a stale entry.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "auth.h"
#include "base64.h"
#include "hmac.h"
#include "jid.h"
#include "log.h"
#include "password.h"
#include "throttle.h"
#include "util.h"

/* Encoded credentials longer than this cannot fit the decoded buffers. */
#define AUTH_B64_MAX	BASE64_ENCODED_LEN(AUTH_USER_MAX + 1 + AUTH_PASS_MAX)

struct cache_entry {
	unsigned char	 mac[32];
	time_t		 expires;
	char		 id[USERS_ID_LEN];
	char		 hash[PASSWORD_MCF_MAX];
};

static struct cache_entry	*cache;
static size_t			 cache_n;
static struct hmac_key		 cache_key;	/* once per process */
static struct auth_stats	 stats;
static struct user_check	 check;	/* of the request in hand */

/*
 * "Basic <base64(user:password)>": the scheme is case-insensitive, the
 * user must be non-empty, and the password may not hold a NUL byte.
 */
int
auth_basic_parse(const char *hdr, char *user, size_t usz, char *pass,
    size_t *plen)
{
	unsigned char	 dec[AUTH_B64_MAX];
	const char	*p;
	unsigned char	*colon;
	size_t		 n, declen, ulen;
	int		 rc = -1;

	if (hdr == NULL || !util_strncaseeq(hdr, "Basic ", 6))
		return -1;
	for (p = hdr + 6; *p == ' '; p++)
		continue;
	n = strlen(p);
	while (n > 0 && p[n - 1] == ' ')
		n--;
	if (n == 0 || n >= AUTH_B64_MAX ||
	    base64_decode(p, n, dec, sizeof(dec) - 1, &declen) == -1)
		goto out;
	if (memchr(dec, '\0', declen) != NULL ||
	    (colon = memchr(dec, ':', declen)) == NULL)
		goto out;
	ulen = (size_t)(colon - dec);
	*plen = declen - ulen - 1;
	if (ulen == 0 || ulen >= usz || *plen > AUTH_PASS_MAX)
		goto out;
	memcpy(user, dec, ulen);
	user[ulen] = '\0';
	memcpy(pass, colon + 1, *plen);
	pass[*plen] = '\0';
	rc = 0;
out:
	util_bzero(dec, sizeof(dec));
	return rc;
}

static void
cache_mac(const char *local, const char *host, const char *pw, size_t len,
    unsigned char mac[32])
{
	const char	*parts[3] = { local, host, pw };
	struct hmac	 h;
	size_t		 lens[3], i;
	unsigned char	 be[4];

	lens[0] = strlen(local);
	lens[1] = strlen(host);
	lens[2] = len;
	hmac_begin(&h, &cache_key);
	/* Length-prefixed, so no two different tuples share an input. */
	for (i = 0; i < 3; i++) {
		be[0] = (unsigned char)(lens[i] >> 24);
		be[1] = (unsigned char)(lens[i] >> 16);
		be[2] = (unsigned char)(lens[i] >> 8);
		be[3] = (unsigned char)lens[i];
		hmac_update(&h, be, 4);
		hmac_update(&h, parts[i], lens[i]);
	}
	hmac_final(&h, mac);
}

/* The table and the keyed HMAC are made on first use, sized from the config. */
static void
cache_init(const struct config *c)
{
	unsigned char	 key[32];

	if (cache != NULL && cache_n == (size_t)c->cache_size)
		return;
	if (cache != NULL)
		util_bzero(cache, cache_n * sizeof(*cache));
	free(cache);
	cache_n = (size_t)c->cache_size;
	cache = xcalloc(cache_n, sizeof(*cache));
	util_random(key, sizeof(key));
	hmac_key_init(&cache_key, key, sizeof(key));
	util_bzero(key, sizeof(key));
}

static struct cache_entry *
cache_slot(const unsigned char mac[32])
{
	size_t	 i;

	i = ((size_t)mac[0] << 24 | (size_t)mac[1] << 16 |
	    (size_t)mac[2] << 8 | mac[3]) % cache_n;
	return &cache[i];
}

/*
 * The live entry for (local, host, pw), or NULL; *slot is where a
 * success would go (NULL when the cache is off).
 */
static struct cache_entry *
cache_find(const struct config *c, const char *local, const char *host,
    const char *pw, size_t len, unsigned char mac[32],
    struct cache_entry **slot)
{
	struct cache_entry	*e;

	*slot = NULL;
	if (c->cache_size <= 0)
		return NULL;
	cache_init(c);
	cache_mac(local, host, pw, len, mac);
	*slot = e = cache_slot(mac);
	if (e->expires > time(NULL) && CRYPTO_memcmp(e->mac, mac, 32) == 0)
		return e;
	return NULL;
}

static void
cache_put(const struct config *c, struct cache_entry *e,
    const unsigned char mac[32], const struct user *u)
{
	memcpy(e->mac, mac, 32);
	(void)snprintf(e->id, sizeof(e->id), "%s", u->id);
	(void)snprintf(e->hash, sizeof(e->hash), "%s", u->hash);
	e->expires = time(NULL) + c->cache_ttl;
}

/* 1 when pw is in this process's cache of recent successes for u's row. */
static int
cache_hit(const struct config *c, const struct user *u, const char *pw,
    size_t len, unsigned char mac[32], struct cache_entry **slot)
{
	struct cache_entry	*e;

	if ((e = cache_find(c, u->local, u->host, pw, len, mac, slot)) == NULL)
		return 0;
	return strcmp(e->id, u->id) == 0 && strcmp(e->hash, u->hash) == 0;
}

void
auth_cache_clear(void)
{
	if (cache != NULL)
		util_bzero(cache, cache_n * sizeof(*cache));
	memset(&stats, 0, sizeof(stats));
}

void
auth_cache_stats(struct auth_stats *s)
{
	*s = stats;
}

/* 1 on match, 0 on mismatch or a disabled account, -1 on a bad hash. */
int
auth_verify(const struct config *c, const struct user *u, const char *pw,
    size_t len)
{
	unsigned char		 mac[32];
	struct cache_entry	*e;
	int			 rc;

	if (cache_hit(c, u, pw, len, mac, &e)) {
		stats.hits++;
		rc = 1;
		goto out;
	}
	stats.misses++;
	rc = password_verify(u->hash, pw, len);
	if (rc == 1 && e != NULL)
		cache_put(c, e, mac, u);
out:
	util_bzero(mac, sizeof(mac));
	return rc == 1 && u->disabled ? 0 : rc;
}

/*
 * Check "local@host" and a password from a client address against the
 * store, within the guessing limits (*retry set when refused by them).
 * A cached success needs no limit: only the right password hits.
 * Unknown users pay a dummy scrypt so they cost what a wrong password
 * costs.
 */
enum auth_result
auth_password(const struct config *c, const char *addr, const char *host,
    const char *local, const char *pw, size_t len, struct user *u,
    long *retry)
{
	unsigned char		 mac[32];
	char			 account[AUTH_USER_MAX + 1];
	struct cache_entry	*e;
	struct throttle		 t;
	enum db_status		 s;
	enum auth_result	 rc = AUTH_UNAVAIL;
	int			 found;

	if ((s = users_get(host, local, u, &found)) != DB_OK)
		return AUTH_UNAVAIL;
	if (found && cache_hit(c, u, pw, len, mac, &e)) {
		stats.hits++;
		util_bzero(mac, sizeof(mac));
		return u->disabled ? AUTH_FAIL : AUTH_OK;
	}
	(void)snprintf(account, sizeof(account), "%s@%s", local, host);
	switch (throttle_begin(c, account, addr, &t)) {
	case THROTTLE_GO:
		break;
	case THROTTLE_WAIT:
		*retry = t.retry_after;
		return AUTH_FAIL;
	default:
		return AUTH_UNAVAIL;
	}
	if (!found) {
		password_dummy(c, pw, len);
		rc = AUTH_FAIL;
	} else
		rc = auth_verify(c, u, pw, len) == 1 ? AUTH_OK : AUTH_FAIL;
	throttle_end(c, &t, rc == AUTH_OK);
	return rc;
}

/*
 * A shared key (what names it, for the counters and the log) against the
 * configured one; want must be set.  The comparison costs nothing, so
 * unlike a password it comes first: only failures are counted (a right
 * key writes nothing), and a guess over the limits is refused with a
 * wait.
 */
enum auth_result
auth_key(struct req *r, const char *what, const char *key, size_t len,
    const char *want)
{
	struct throttle		 t;

	if (key != NULL && util_secret_eq(key, len, want, strlen(want)))
		return AUTH_OK;
	switch (throttle_begin(r->cfg, what, req_remote(r), &t)) {
	case THROTTLE_GO:
		break;
	case THROTTLE_WAIT:
		r->retry_after = t.retry_after;
		return AUTH_FAIL;
	default:
		return AUTH_UNAVAIL;
	}
	throttle_end(r->cfg, &t, 0);
	return AUTH_FAIL;
}

/* How basic() treats the cache. */
enum basic_mode {
	BASIC_READ,	/* read the row, then the cache or scrypt */
	BASIC_CACHED,	/* a cached success answers without the row */
	BASIC_RECHECK,	/* the cached entry proved stale: drop it, read */
};

static enum auth_result
basic(struct req *r, struct user *u, enum basic_mode mode)
{
	char			 user[AUTH_USER_MAX + 1], pass[AUTH_PASS_MAX + 1];
	unsigned char		 mac[32];
	size_t			 plen = 0;
	struct cache_entry	*e = NULL, *slot;
	struct jid		 j;
	enum auth_result	 rc = AUTH_FAIL;

	if (auth_basic_parse(req_header(r, "Authorization"), user,
	    sizeof(user), pass, &plen) == -1) {
		log_info("malformed or missing Basic credentials");
		goto out;
	}
	if (jid_parse(user, strlen(user), &j) == -1 ||
	    !config_host_served(r->cfg, j.host)) {
		password_dummy(r->cfg, pass, plen);
		log_info("authentication failed: invalid user or host");
		log_warn("auth failure for - from %s", req_remote(r));
		goto out;
	}
	/* A replica may lag: its rows cannot vouch for a cached hash. */
	if (mode != BASIC_READ && (r->cfg->db_read_conninfo == NULL ||
	    *r->cfg->db_read_conninfo == '\0'))
		e = cache_find(r->cfg, j.local, j.host, pass, plen, mac, &slot);
	if (e != NULL && mode == BASIC_RECHECK)
		util_bzero(e, sizeof(*e));
	else if (e != NULL) {
		stats.hits++;
		memset(u, 0, sizeof(*u));
		(void)snprintf(u->id, sizeof(u->id), "%s", e->id);
		(void)snprintf(u->local, sizeof(u->local), "%s", j.local);
		(void)snprintf(u->host, sizeof(u->host), "%s", j.host);
		(void)snprintf(u->hash, sizeof(u->hash), "%s", e->hash);
		u->seen_age = -1;
		memset(&check, 0, sizeof(check));
		u->check = &check;
		rc = AUTH_OK;
		goto ok;
	}
	rc = auth_password(r->cfg, req_remote(r), j.host, j.local, pass, plen,
	    u, &r->retry_after);
ok:
	if (rc == AUTH_OK)
		(void)snprintf(r->principal, sizeof(r->principal), "%s@%s",
		    u->local, u->host);
out:
	util_bzero(mac, sizeof(mac));
	util_bzero(pass, sizeof(pass));
	return rc;
}

enum auth_result
auth_basic(struct req *r, struct user *u)
{
	return basic(r, u, BASIC_READ);
}

/*
 * As auth_basic, but a cached success answers without reading the row:
 * u then holds the cached id and hash, u->check is set, and every
 * statement run with u checks the row itself.  When one answers
 * DB_STALE, auth_recheck does what auth_basic would have done.  With a
 * read replica the row is read first, as by auth_basic.
 */
enum auth_result
auth_basic_cached(struct req *r, struct user *u)
{
	return basic(r, u, BASIC_CACHED);
}

/* A statement found u's cached hash stale: forget it, read the row. */
enum auth_result
auth_recheck(struct req *r, struct user *u)
{
	r->principal[0] = '\0';
	return basic(r, u, BASIC_RECHECK);
}
