# Verify a chatrest token with PyJWT, an implementation that is not ours.
#   jwtcheck.py KEY TOKEN [LEEWAY]
# Prints the header and the payload as received, or "rejected: <error>".
import json
import sys

import jwt

key, token = sys.argv[1], sys.argv[2]
leeway = int(sys.argv[3]) if len(sys.argv) > 3 else 0
try:
    # A negative leeway moves the clock forward: only exp is checked then.
    claims = jwt.decode(token, key, algorithms=["HS256"], leeway=leeway,
                        options={"require": ["exp", "iat", "nbf"],
                                 "verify_aud": False,
                                 "verify_nbf": leeway >= 0,
                                 "verify_iat": leeway >= 0})
except jwt.InvalidTokenError as e:
    print("rejected: %s" % type(e).__name__)
    sys.exit(1)
print(json.dumps(jwt.get_unverified_header(token), separators=(",", ":")))
print(json.dumps(claims, separators=(",", ":")))
