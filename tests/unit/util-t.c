/* util: constant-time secret comparison, hex, case-insensitive compare. */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "tap.h"
#include "util.h"

int
main(void)
{
	static const char	 k[] = "0123456789abcdef0123456789abcdef";
	const size_t		 n = sizeof(k) - 1;
	char			 hex[9];
	struct buf		 b = { NULL, 0, 0 };
	unsigned char		 r1[16], r2[16], big[4096], mac[32];
	unsigned int		 maclen = 0;
	size_t			 i, zero = 0;
	char			 machex[65];

	ok(util_secret_eq(k, n, k, n), "equal");
	ok(!util_secret_eq(k, n - 1, k, n), "prefix");
	ok(!util_secret_eq(k, n, k, n - 1), "longer than the secret");
	ok(!util_secret_eq("0123456789abcdef0123456789abcdeX", n, k, n),
	    "last byte differs");
	ok(!util_secret_eq("X123456789abcdef0123456789abcdef", n, k, n),
	    "first byte differs");
	ok(!util_secret_eq("", 0, k, n), "empty");
	ok(!util_secret_eq("abcabc", 6, "abc", 3), "the secret twice");
	ok(!util_secret_eq("", 0, "", 0), "no secret matches nothing");
	ok(util_secret_eq("a\0b", 3, "a\0b", 3), "length, not NUL, ends it");
	ok(!util_secret_eq("a\0b", 3, "a\0c", 3), "bytes after a NUL count");

	ok(util_utf8_valid("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14),
	    "UTF-8: two, three and four bytes");
	ok(util_utf8_valid("", 0), "UTF-8: empty");
	ok(!util_utf8_valid("\xc1\xbf", 2), "UTF-8: overlong");
	ok(!util_utf8_valid("\xed\xbf\xbf", 3), "UTF-8: surrogate");
	ok(!util_utf8_valid("\xf5\x80\x80\x80", 4), "UTF-8: above U+10FFFF");
	ok(!util_utf8_valid("\xc3", 1), "UTF-8: cut short");
	ok(!util_utf8_valid("\xe2\x28\xa1", 3), "UTF-8: bad continuation");

	util_hex((const unsigned char *)"\x00\x7f\xab\xff", 4, hex);
	is_str(hex, "007fabff", "hex");

	ok(util_strcaseeq("Application/JSON", "application/json"), "caseeq");
	ok(!util_strcaseeq("application/jsonx", "application/json"),
	    "caseeq: length matters");
	ok(util_strncaseeq("HOST:x", "host:y", 5), "ncaseeq");

	util_random(r1, sizeof(r1));
	util_random(r2, sizeof(r2));
	ok(memcmp(r1, r2, sizeof(r1)) != 0, "random bytes differ");
	memset(big, 0, sizeof(big));
	util_random(big, sizeof(big));
	for (i = 0; i < sizeof(big); i++)
		zero += big[i] == 0;
	ok(zero < 64, "4096 random bytes are filled");

	/* RFC 4231, test case 2 */
	ok(HMAC(EVP_sha256(), "Jefe", 4,
	    (const unsigned char *)"what do ya want for nothing?", 28, mac,
	    &maclen) != NULL && maclen == 32, "HMAC-SHA256");
	util_hex(mac, sizeof(mac), machex);
	is_str(machex, "5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843", "HMAC-SHA256: RFC 4231 case 2");

	buf_adds(&b, "a");
	buf_addc(&b, 'b');
	buf_addf(&b, "%d%s", 12, "c");
	buf_add(&b, "de", 1);
	is_str(b.p, "ab12cd", "buffer appends");
	is_int(b.len, 6, "buffer length");
	buf_reset(&b);
	is_str(b.p, "", "reset");
	buf_free(&b);
	return done_testing();
}
