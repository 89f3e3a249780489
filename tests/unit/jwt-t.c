/* jwt: RFC 7515 A.1, BareRTC's vectors, and every way to be refused. */
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "jwt.h"
#include "tap.h"

#define KEY	"s3cret"

static enum jwt_err
verify(const char *key, const char *tok, time_t now)
{
	json_object	*c = NULL;
	enum jwt_err	 e;

	e = jwt_verify(key, strlen(key), tok, strlen(tok), now, &c);
	if ((e == JWT_OK) != (c != NULL))
		e = (enum jwt_err)-1;
	json_object_put(c);
	return e;
}

int
main(void)
{
	/* RFC 7515 appendix A.1: HS256 JWS with a JWK octet key. */
	static const char rfc_k[] = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-"
	    "EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
	static const char rfc_tok[] =
	    "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
	    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt"
	    "cGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
	    "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
	/* BareRTC reference: {"sub":"alice","nick":"Alice","op":true}. */
	static const char alice[] = "{\"sub\":\"alice\",\"nick\":\"Alice\","
	    "\"op\":true}";
	static const char alice_tok[] =
	    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
	    "eyJzdWIiOiJhbGljZSIsIm5pY2siOiJBbGljZSIsIm9wIjp0cnVlfQ."
	    "yw1TyVO-fTXozfM13HE25GWIfb2vXS7PuyQUBZsrtUE";
	static const char wrong_sig[] =
	    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
	    "eyJzdWIiOiJhbGljZSIsIm5pY2siOiJBbGljZSIsIm9wIjp0cnVlfQ."
	    "bZBcSIs0WPZmhTqqDFsz0qIWeaLpIYv5VpTcimDFkHI";
	static const char expired[] = "{\"sub\":\"alice\",\"exp\":1000000000}";
	unsigned char	 k[64];
	char		 big[JWT_MAX + 64], *t, *p;
	size_t		 klen;
	json_object	*c = NULL, *v;

	ok(base64url_decode(rfc_k, strlen(rfc_k), k, sizeof(k), &klen) == 0,
	    "RFC 7515 key decodes");
	ok(jwt_verify((char *)k, klen, rfc_tok, strlen(rfc_tok), 1300819379,
	    &c) == JWT_OK, "RFC 7515 A.1 verifies before exp");
	ok(json_object_object_get_ex(c, "iss", &v) &&
	    strcmp(json_object_get_string(v), "joe") == 0, "claims returned");
	json_object_put(c);
	ok(jwt_verify((char *)k, klen, rfc_tok, strlen(rfc_tok), 1300819380,
	    NULL) == JWT_EXPIRED, "RFC 7515 A.1 expired at exp");

	t = jwt_sign(KEY, strlen(KEY), alice, strlen(alice));
	is_str(t, alice_tok, "signs the reference token byte for byte");
	free(t);
	is_int(verify(KEY, alice_tok, 1), JWT_NO_EXP, "no exp: refused");
	is_int(verify(KEY, wrong_sig, 1), JWT_SIGNATURE,
	    "signed with another key: signature is invalid");
	is_int(verify("wrong", alice_tok, 1), JWT_SIGNATURE, "wrong key");

	t = jwt_sign(KEY, strlen(KEY), expired, strlen(expired));
	ok(t != NULL && strcmp(strrchr(t, '.') + 1,
	    "8HGcEhlWVAdW2pEW-hcgTmXAyy9Uh9dkiJnGt0WD36U") == 0,
	    "reference expired token's signature");
	is_int(verify(KEY, t, 999999999), JWT_OK, "valid before exp");
	is_int(verify(KEY, t, 1000000000), JWT_EXPIRED, "expired at exp");
	/* Tamper with the payload: the MAC no longer matches. */
	p = strchr(t, '.') + 5;
	*p = *p == 'A' ? 'B' : 'A';
	is_int(verify(KEY, t, 1), JWT_SIGNATURE, "tampered payload");
	free(t);

	t = jwt_sign(KEY, strlen(KEY), "{\"exp\":10,\"nbf\":5}", 18);
	is_int(verify(KEY, t, 4), JWT_NOT_YET, "before nbf");
	is_int(verify(KEY, t, 5), JWT_OK, "at nbf");
	free(t);
	t = jwt_sign(KEY, strlen(KEY), "{\"exp\":10,\"iat\":5}", 18);
	is_int(verify(KEY, t, 4), JWT_NOT_YET, "issued in the future");
	free(t);
	t = jwt_sign(KEY, strlen(KEY), "{\"exp\":\"10\"}", 12);
	is_int(verify(KEY, t, 4), JWT_MALFORMED, "exp not a number");
	free(t);
	t = jwt_sign(KEY, strlen(KEY), "{\"exp\":10.5}", 12);
	is_int(verify(KEY, t, 4), JWT_MALFORMED, "fractional exp");
	free(t);
	t = jwt_sign(KEY, strlen(KEY), "{\"exp\":1e3}", 11);
	is_int(verify(KEY, t, 4), JWT_MALFORMED, "exp with an exponent");
	free(t);
	t = jwt_sign(KEY, strlen(KEY), "{\"exp\":10,\"nbf\":1.5}", 20);
	is_int(verify(KEY, t, 4), JWT_MALFORMED, "fractional nbf");
	free(t);
	t = jwt_sign(KEY, strlen(KEY), "{\"exp\":10,\"iat\":NaN}", 20);
	is_int(verify(KEY, t, 4), JWT_MALFORMED, "NaN iat");
	free(t);
	t = jwt_sign(KEY, strlen(KEY), "{\"exp\":1e999}", 13);
	is_int(verify(KEY, t, 4), JWT_MALFORMED, "infinite exp");
	free(t);
	t = jwt_sign(KEY, strlen(KEY), "{\"exp\":-1}", 10);
	is_int(verify(KEY, t, 4), JWT_EXPIRED, "negative exp: expired");
	free(t);
	t = jwt_sign(KEY, strlen(KEY), "[1]", 3);
	is_int(verify(KEY, t, 4), JWT_MALFORMED, "payload not an object");
	free(t);

	/* alg none ({"alg":"none"}) and HS512, whatever the signature. */
	is_int(verify(KEY, "eyJhbGciOiJub25lIn0."
	    "eyJzdWIiOiJhbGljZSIsImV4cCI6OTk5OTk5OTk5OX0.", 1), JWT_ALG,
	    "alg none refused");
	is_int(verify(KEY, "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9."
	    "eyJzdWIiOiJib2IifQ.AAAA", 1), JWT_ALG, "HS512 refused");
	is_int(verify(KEY, "eyJhbGciOiJSUzI1NiJ9.e30.AAAA", 1), JWT_ALG,
	    "RS256 refused");
	/* {"alg":"HS256","crit":["x"]} */
	is_int(verify(KEY, "eyJhbGciOiJIUzI1NiIsImNyaXQiOlsieCJdfQ.e30.AAAA",
	    1), JWT_ALG, "crit header refused");

	is_int(verify(KEY, "", 1), JWT_MALFORMED, "empty");
	is_int(verify(KEY, "eyJhbGciOiJIUzI1NiJ9.e30", 1), JWT_MALFORMED,
	    "two segments");
	is_int(verify(KEY, "eyJhbGciOiJIUzI1NiJ9.e30.AAAA.AAAA", 1),
	    JWT_MALFORMED, "four segments");
	is_int(verify(KEY, "@@@.e30.AAAA", 1), JWT_MALFORMED, "bad base64");
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, alice_tok, strlen(alice_tok));
	is_int(verify(KEY, big, 1), JWT_MALFORMED, "over JWT_MAX refused");
	is_str(jwt_strerror(JWT_SIGNATURE), "signature is invalid",
	    "error text");
	return done_testing();
}
