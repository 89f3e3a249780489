/* hmac: RFC 4231 vectors, and agreement with libcrypto's HMAC(). */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "hmac.h"
#include "tap.h"

static void
hex(const unsigned char *p, size_t n, char *out)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		(void)snprintf(out + 2 * i, 3, "%02x", p[i]);
}

int
main(void)
{
	/* RFC 4231 §4.2-4.8 (case 5, a truncated MAC, is left out). */
	static const struct {
		const char	*key;
		size_t		 klen;
		const char	*data;
		size_t		 dlen;
		const char	*mac;
	} vec[] = {
	    { "\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b"
	      "\x0b\x0b\x0b\x0b\x0b", 20, "Hi There", 8,
	      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
	    { "Jefe", 4, "what do ya want for nothing?", 28,
	      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	    { NULL, 20, NULL, 50,
	      "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
	    { NULL, 25, NULL, 50,
	      "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
	    { NULL, 131, "Test Using Larger Than Block-Size Key - Hash Key "
	      "First", 54,
	      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
	    { NULL, 131, "This is a test using a larger than block-size key "
	      "and a larger than block-size data. The key needs to be hashed "
	      "before being used by the HMAC algorithm.", 152,
	      "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
	};
	unsigned char	 key[131], data[200], mac[HMAC_LEN], ref[HMAC_LEN];
	char		 out[2 * HMAC_LEN + 1];
	struct hmac_key	 k;
	struct hmac	 h;
	unsigned int	 rlen;
	size_t		 i, klen, split;

	for (i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
		/* Keys and data the RFC gives as repeated bytes. */
		if (vec[i].key != NULL)
			memcpy(key, vec[i].key, vec[i].klen);
		else if (vec[i].klen == 25)
			for (klen = 0; klen < vec[i].klen; klen++)
				key[klen] = (unsigned char)(klen + 1);
		else
			memset(key, 0xaa, vec[i].klen);
		if (vec[i].data != NULL)
			memcpy(data, vec[i].data, vec[i].dlen);
		else
			memset(data, vec[i].klen == 25 ? 0xcd : 0xdd,
			    vec[i].dlen);
		hmac_sha256(key, vec[i].klen, data, vec[i].dlen, mac);
		hex(mac, sizeof(mac), out);
		is_str(out, vec[i].mac, "RFC 4231 test case");
	}

	/* One key, many MACs, data in pieces: each as libcrypto's HMAC(). */
	memset(key, 0x5a, 32);
	hmac_key_init(&k, key, 32);
	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 7);
	for (split = 0; split <= sizeof(data); split += 50) {
		hmac_begin(&h, &k);
		hmac_update(&h, data, split);
		hmac_update(&h, data + split, sizeof(data) - split);
		hmac_final(&h, mac);
		(void)HMAC(EVP_sha256(), key, 32, data, sizeof(data), ref,
		    &rlen);
		ok(rlen == HMAC_LEN && memcmp(mac, ref, HMAC_LEN) == 0,
		    "a kept key, data in two pieces, agrees with HMAC()");
	}
	hmac_begin(&h, &k);
	hmac_final(&h, mac);
	(void)HMAC(EVP_sha256(), key, 32, data, 0, ref, &rlen);
	ok(memcmp(mac, ref, HMAC_LEN) == 0, "empty message");
	hmac_key_free(&k);
	return done_testing();
}
