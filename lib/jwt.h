/* jwt: HS256 JSON Web Tokens (RFC 7519) signed and verified with libcrypto. */
#ifndef JWT_H
#define JWT_H

#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#define JWT_MAX		4096	/* longer tokens are refused unread */

enum jwt_err {
	JWT_OK = 0,
	JWT_MALFORMED,		/* size, segments, base64url or JSON */
	JWT_ALG,		/* anything but "alg":"HS256" */
	JWT_SIGNATURE,
	JWT_NO_EXP,		/* every token must expire */
	JWT_EXPIRED,
	JWT_NOT_YET,		/* nbf or iat in the future */
};

char		*jwt_sign(const char *, size_t, const char *, size_t);
enum jwt_err	 jwt_verify(const char *, size_t, const char *, size_t,
		    time_t, json_object **) __attribute__((warn_unused_result));
const char	*jwt_strerror(enum jwt_err);

#endif
