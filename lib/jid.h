/* jid: normalisation of localparts, hosts and bare JIDs. */
#ifndef JID_H
#define JID_H

#include <stddef.h>

#define JID_LOCAL_MAX	64
#define JID_HOST_MAX	253

struct jid {
	char	local[JID_LOCAL_MAX + 1];
	char	host[JID_HOST_MAX + 1];
};

int	jid_localpart(const char *, size_t, char *);
int	jid_host(const char *, size_t, char *);
int	jid_parse(const char *, size_t, struct jid *);

#endif
