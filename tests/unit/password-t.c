/* password: scrypt round trip and libscrypt's pitfalls. */
#include <string.h>

#include "config.h"
#include "password.h"
#include "tap.h"

int
main(void)
{
	struct config	 c;
	char		 h1[PASSWORD_MCF_MAX], h2[PASSWORD_MCF_MAX], copy[PASSWORD_MCF_MAX];

	memset(&c, 0, sizeof(c));
	c.scrypt_n = 1024;
	c.scrypt_r = 8;
	c.scrypt_p = 1;

	ok(password_hash(&c, "s3cret", 6, h1) == 0, "hash");
	ok(strncmp(h1, "$s1$", 4) == 0, "MCF string");
	ok(strstr(h1, "$0a0801$") != NULL, "explicit N=2^10, r=8, p=1");
	ok(password_hash(&c, "s3cret", 6, h2) == 0 && strcmp(h1, h2) != 0,
	    "fresh salt each time");
	memcpy(copy, h1, sizeof(copy));
	is_int(password_verify(h1, "s3cret", 6), 1, "right password");
	is_str(h1, copy, "stored hash untouched by libscrypt_check");
	is_int(password_verify(h1, "s3cret!", 7), 0, "wrong password");
	is_int(password_verify(h1, "", 0), 0, "empty password");
	is_int(password_verify(h1, "s3cret\0x", 8), 0, "NUL byte refused");
	ok(password_hash(&c, "a\0b", 3, h2) == -1, "NUL byte not hashed");
	is_int(password_verify("$s1$garbage", "s3cret", 6), -1,
	    "malformed hash is an error, not a match");
	is_int(password_verify("", "s3cret", 6), -1, "empty hash is an error");
	password_dummy(&c, "whatever", 8);
	ok(1, "dummy check runs");
	return done_testing();
}
