/*
 * auth: HTTP Basic credentials and the per-process verification cache.
 *
 * Only successes are cached, keyed by an HMAC (random per-process key)
 * over the JID, the stored hash and the password.  The user row is read on
 * every request, so a changed password or a deleted or disabled account
 * can never hit a stale entry.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "auth.h"
#include "base64.h"
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
};

static struct cache_entry	*cache;
static size_t			 cache_n;
static unsigned char		 cache_key[32];
static struct auth_stats	 stats;

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
cache_mac(const struct user *u, const char *pw, size_t len,
    unsigned char mac[32])
{
	const char	*parts[4] = { u->local, u->host, u->hash, pw };
	size_t		 lens[4], i;
	unsigned int	 maclen = 32;
	struct buf	 msg = { NULL, 0, 0 };
	char		 be[4];

	lens[0] = strlen(u->local);
	lens[1] = strlen(u->host);
	lens[2] = strlen(u->hash);
	lens[3] = len;
	/* Length-prefixed, so no two different tuples share an input. */
	for (i = 0; i < 4; i++) {
		be[0] = (char)(lens[i] >> 24);
		be[1] = (char)(lens[i] >> 16);
		be[2] = (char)(lens[i] >> 8);
		be[3] = (char)lens[i];
		buf_add(&msg, be, 4);
		buf_add(&msg, parts[i], lens[i]);
	}
	if (HMAC(EVP_sha256(), cache_key, sizeof(cache_key),
	    (unsigned char *)msg.p, msg.len, mac, &maclen) == NULL)
		abort();
	util_bzero(msg.p, msg.len);
	buf_free(&msg);
}

/* The table and its key are made on first use, sized from the config. */
static void
cache_init(const struct config *c)
{
	if (cache != NULL && cache_n == (size_t)c->cache_size)
		return;
	free(cache);
	cache_n = (size_t)c->cache_size;
	cache = xcalloc(cache_n, sizeof(*cache));
	util_random(cache_key, sizeof(cache_key));
}

static struct cache_entry *
cache_slot(const unsigned char mac[32])
{
	size_t	 i;

	i = ((size_t)mac[0] << 24 | (size_t)mac[1] << 16 |
	    (size_t)mac[2] << 8 | mac[3]) % cache_n;
	return &cache[i];
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

/* 1 when pw is in this process's cache of recent successes for u. */
static int
cache_hit(const struct config *c, const struct user *u, const char *pw,
    size_t len, unsigned char mac[32], struct cache_entry **ep)
{
	*ep = NULL;
	if (c->cache_size <= 0)
		return 0;
	cache_init(c);
	cache_mac(u, pw, len, mac);
	*ep = cache_slot(mac);
	return (*ep)->expires > time(NULL) &&
	    CRYPTO_memcmp((*ep)->mac, mac, 32) == 0;
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
	if (rc == 1 && e != NULL) {
		memcpy(e->mac, mac, sizeof(mac));
		e->expires = time(NULL) + c->cache_ttl;
	}
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
 * configured one, within the guessing limits.  want must be set.
 */
enum auth_result
auth_key(struct req *r, const char *what, const char *key, size_t len,
    const char *want)
{
	struct throttle		 t;
	int			 ok;

	/* Compared first: a right key under the limits commits nothing. */
	ok = key != NULL && util_secret_eq(key, len, want, strlen(want));
	switch (throttle_check(r->cfg, what, req_remote(r), ok, &t)) {
	case THROTTLE_GO:
		break;
	case THROTTLE_WAIT:
		r->retry_after = t.retry_after;
		return AUTH_FAIL;
	default:
		return AUTH_UNAVAIL;
	}
	throttle_end(r->cfg, &t, ok);
	return ok ? AUTH_OK : AUTH_FAIL;
}

enum auth_result
auth_basic(struct req *r, struct user *u)
{
	char			 user[AUTH_USER_MAX + 1], pass[AUTH_PASS_MAX + 1];
	size_t			 plen = 0;
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
	rc = auth_password(r->cfg, req_remote(r), j.host, j.local, pass, plen,
	    u, &r->retry_after);
	if (rc == AUTH_OK)
		(void)snprintf(r->principal, sizeof(r->principal), "%s@%s",
		    u->local, u->host);
out:
	util_bzero(pass, sizeof(pass));
	return rc;
}
