/*
 * jid: normalisation of localparts, hosts and bare JIDs.
 *
 * A localpart is 1-64 bytes of a-z, 0-9, '.', '_' and '-' once ASCII upper
 * case is folded: valid unchanged as an XMPP node, a Matrix localpart and a
 * BareRTC username, so one account has one spelling everywhere.
 */
#include <string.h>

#include "jid.h"

static int
fold(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

int
jid_localpart(const char *in, size_t n, char *out)
{
	size_t	 i;
	int	 c;

	if (n == 0 || n > JID_LOCAL_MAX)
		return -1;
	for (i = 0; i < n; i++) {
		c = fold((unsigned char)in[i]);
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '_' || c == '-'))
			return -1;
		out[i] = (char)c;
	}
	out[n] = '\0';
	return 0;
}

/* Host names: LDH labels separated by single dots, lower-cased. */
int
jid_host(const char *in, size_t n, char *out)
{
	size_t	 i, label = 0;
	int	 c;

	if (n == 0 || n > JID_HOST_MAX)
		return -1;
	for (i = 0; i < n; i++) {
		c = fold((unsigned char)in[i]);
		if (c == '.') {
			if (label == 0)
				return -1;
			label = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-') {
			if (++label > 63)
				return -1;
		} else
			return -1;
		out[i] = (char)c;
	}
	if (label == 0)
		return -1;
	out[n] = '\0';
	return 0;
}

/* A bare JID "local@host"; resources and domain-only JIDs are rejected. */
int
jid_parse(const char *in, size_t n, struct jid *j)
{
	const char	*at;

	if ((at = memchr(in, '@', n)) == NULL)
		return -1;
	if (jid_localpart(in, (size_t)(at - in), j->local) == -1)
		return -1;
	return jid_host(at + 1, n - (size_t)(at - in) - 1, j->host);
}
