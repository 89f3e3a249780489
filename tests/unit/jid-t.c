/* jid: localpart and host normalisation, bare JID parsing. */
#include <string.h>

#include "jid.h"
#include "tap.h"

static int
lp(const char *in, char *out)
{
	return jid_localpart(in, strlen(in), out);
}

int
main(void)
{
	char		 out[300], big[100];
	struct jid	 j;

	ok(lp("Alice", out) == 0, "upper case accepted");
	is_str(out, "alice", "upper case folded");
	ok(lp("a.b_c-9", out) == 0, "dot, underscore, dash, digits");
	ok(lp("", out) == -1, "empty localpart");
	ok(lp("a b", out) == -1, "space");
	ok(lp("a@b", out) == -1, "at sign");
	ok(lp("a/b", out) == -1, "slash");
	ok(lp("a:b", out) == -1, "colon");
	ok(lp("\xc3\xa9t\xc3\xa9", out) == -1, "non-ASCII");
	ok(jid_localpart("a\0b", 3, out) == -1, "NUL byte");
	memset(big, 'a', 64);
	ok(jid_localpart(big, 64, out) == 0, "64 bytes accepted");
	ok(jid_localpart(big, 65, out) == -1, "65 bytes refused");

	ok(jid_host("Example.ORG", 11, out) == 0 && strcmp(out,
	    "example.org") == 0, "host folded");
	ok(jid_host("localhost", 9, out) == 0, "single label");
	ok(jid_host("a..b", 4, out) == -1, "empty label");
	ok(jid_host(".a", 2, out) == -1, "leading dot");
	ok(jid_host("a.", 2, out) == -1, "trailing dot");
	ok(jid_host("a_b", 3, out) == -1, "underscore in host");
	ok(jid_host("a:5222", 6, out) == -1, "port in host");

	ok(jid_parse("Bob@LocalHost", 13, &j) == 0 &&
	    strcmp(j.local, "bob") == 0 && strcmp(j.host, "localhost") == 0,
	    "bare JID");
	ok(jid_parse("bob@localhost/res", 17, &j) == -1, "resource refused");
	ok(jid_parse("localhost", 9, &j) == -1, "domain JID refused");
	ok(jid_parse("@localhost", 10, &j) == -1, "empty localpart");
	ok(jid_parse("bob@", 4, &j) == -1, "empty host");
	ok(jid_parse("a@b@c", 5, &j) == -1, "two at signs");
	return done_testing();
}
