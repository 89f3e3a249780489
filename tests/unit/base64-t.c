/* base64: RFC 4648 §10 vectors, the URL alphabet, strict decoding. */
#include <string.h>

#include "base64.h"
#include "tap.h"

int
main(void)
{
	static const char *const vec[][2] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" },
		{ "foo", "Zm9v" }, { "foob", "Zm9vYg==" },
		{ "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
	};
	char		 enc[64];
	unsigned char	 dec[64];
	size_t		 i, n;

	for (i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
		base64_encode((const unsigned char *)vec[i][0],
		    strlen(vec[i][0]), enc);
		is_str(enc, vec[i][1], "encode RFC 4648 vector");
		ok(base64_decode(vec[i][1], strlen(vec[i][1]), dec,
		    sizeof(dec), &n) == 0 && n == strlen(vec[i][0]) &&
		    memcmp(dec, vec[i][0], n) == 0, "decode RFC 4648 vector");
	}
	base64url_encode((const unsigned char *)"\xfb\xff\xfe", 3, enc);
	is_str(enc, "-__-", "url alphabet");
	base64url_encode((const unsigned char *)"fo", 2, enc);
	is_str(enc, "Zm8", "url: no padding");
	ok(base64url_decode("Zm8", 3, dec, sizeof(dec), &n) == 0 && n == 2,
	    "url decode without padding");
	ok(base64_decode("Zm8", 3, dec, sizeof(dec), &n) == -1,
	    "std decode requires padding");
	ok(base64_decode("Zm9v!", 5, dec, sizeof(dec), &n) == -1,
	    "bad character");
	ok(base64_decode("Zm9=", 4, dec, sizeof(dec), &n) == -1,
	    "trailing bits set");
	ok(base64_decode("Zm 9", 4, dec, sizeof(dec), &n) == -1,
	    "white space refused");
	ok(base64_decode("Zm9vYmFy", 8, dec, 5, &n) == -1,
	    "output buffer bound");
	ok(base64url_decode("Z", 1, dec, sizeof(dec), &n) == -1,
	    "url: impossible length");
	return done_testing();
}
