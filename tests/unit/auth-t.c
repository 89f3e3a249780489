/* auth: Basic parsing edge cases; cache hit, miss and invalidation. */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "base64.h"
#include "tap.h"

static int
basic(const char *hdr, char *user, char *pass)
{
	size_t	 plen;

	return auth_basic_parse(hdr, user, AUTH_USER_MAX + 1, pass, &plen);
}

static const char *
b64hdr(const char *scheme, const char *raw, size_t n)
{
	static char	 hdr[4096];
	char		 enc[4096];

	base64_encode((const unsigned char *)raw, n, enc);
	(void)snprintf(hdr, sizeof(hdr), "%s%s", scheme, enc);
	return hdr;
}

int
main(void)
{
	struct config		 c;
	struct user		 u;
	struct auth_stats	 st;
	char			 user[AUTH_USER_MAX + 1], pass[AUTH_PASS_MAX + 1];
	char			 big[3000];
	size_t			 plen;

	ok(basic(b64hdr("Basic ", "alice@localhost:pw", 18), user, pass) == 0,
	    "valid credentials");
	is_str(user, "alice@localhost", "user");
	is_str(pass, "pw", "password");
	ok(basic(b64hdr("basic ", "a@b:p:q", 7), user, pass) == 0 &&
	    strcmp(pass, "p:q") == 0, "scheme any case; split at first colon");
	ok(basic(b64hdr("Basic ", "a@b:", 4), user, pass) == 0 &&
	    strcmp(pass, "") == 0, "empty password parses");
	ok(basic(b64hdr("Basic ", ":pw", 3), user, pass) == -1, "empty user");
	ok(basic(b64hdr("Basic ", "nocolon", 7), user, pass) == -1,
	    "no colon");
	ok(basic(b64hdr("Basic ", "a@b:p\0w", 7), user, pass) == -1,
	    "NUL in password");
	ok(basic("Basic !!!!", user, pass) == -1, "bad base64");
	ok(basic("Basic ", user, pass) == -1, "empty credentials");
	ok(basic("Bearer abc", user, pass) == -1, "other scheme");
	ok(basic(NULL, user, pass) == -1, "no header");
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "Basic ", 6);
	ok(basic(big, user, pass) == -1, "oversized header");
	ok(auth_basic_parse(b64hdr("Basic ", "alice@localhost:pw", 18), user,
	    5, pass, &plen) == -1, "user longer than the buffer");

	memset(&c, 0, sizeof(c));
	c.scrypt_n = 1024;
	c.scrypt_r = 8;
	c.scrypt_p = 1;
	c.cache_size = 16;
	c.cache_ttl = 300;
	memset(&u, 0, sizeof(u));
	strcpy(u.local, "alice");
	strcpy(u.host, "localhost");
	ok(password_hash(&c, "pw", 2, u.hash) == 0, "hash for the cache test");

	auth_cache_clear();
	is_int(auth_verify(&c, &u, "pw", 2), 1, "first check verifies");
	auth_cache_stats(&st);
	ok(st.misses == 1 && st.hits == 0, "first check is a miss");
	is_int(auth_verify(&c, &u, "pw", 2), 1, "second check verifies");
	auth_cache_stats(&st);
	ok(st.hits == 1, "second check is a hit");
	is_int(auth_verify(&c, &u, "wrong", 5), 0, "wrong password");
	is_int(auth_verify(&c, &u, "wrong", 5), 0, "wrong password again");
	auth_cache_stats(&st);
	ok(st.misses == 3 && st.hits == 1, "failures are never cached");

	u.disabled = 1;
	is_int(auth_verify(&c, &u, "pw", 2), 0, "disabled account refused "
	    "even when cached");
	u.disabled = 0;

	ok(password_hash(&c, "new", 3, u.hash) == 0, "password changed");
	is_int(auth_verify(&c, &u, "pw", 2), 0,
	    "old password fails after a change");
	auth_cache_stats(&st);
	is_int(st.hits, 2, "no stale hit after a change");
	is_int(auth_verify(&c, &u, "new", 3), 1, "new password works");

	c.cache_size = 0;
	auth_cache_clear();
	is_int(auth_verify(&c, &u, "new", 3), 1, "cache disabled: verifies");
	is_int(auth_verify(&c, &u, "new", 3), 1, "cache disabled: again");
	auth_cache_stats(&st);
	ok(st.hits == 0 && st.misses == 2, "cache disabled: no hits");
	return done_testing();
}
