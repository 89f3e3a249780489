/*
 * libFuzzer: JID and Matrix ID normalisation (lib/jid.c, the Matrix
 * domain mapping of lib/config.c).
 */
#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <unistd.h>

#include "config.h"
#include "fuzz.h"
#include "jid.h"

static struct config	*cfg;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	 path[] = "/tmp/fuzz-jid.XXXXXX", err[256];
	FILE	*f;
	int	 fd;

	fuzz_quiet();
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL)
		abort();
	fputs("[server]\nhosts = localhost example.org\n"
	    "[identity]\nmatrix_domains = example.org=matrix.example.org:8448\n",
	    f);
	fclose(f);
	cfg = config_load(path, err, sizeof(err));
	unlink(path);
	if (cfg == NULL)
		abort();
	return 0;
}

/* A normalised part: lower case, no '@', '/', ':' or space. */
static void
check_part(const char *s)
{
	for (; *s != '\0'; s++)
		assert(!isupper((unsigned char)*s) && *s != '@' && *s != ' ');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		 local[JID_LOCAL_MAX + 1], host[JID_HOST_MAX + 1];
	char		*s = fuzz_str(data, size), *colon;
	struct jid	 j;

	if (jid_parse(s, size, &j) == 0) {
		check_part(j.local);
		check_part(j.host);
	}
	if (jid_localpart(s, size, local) == 0)
		check_part(local);
	if (jid_host(s, size, host) == 0)
		check_part(host);
	/* @localpart:domain, split at the first ':' as mxisd does. */
	if (size > 1 && s[0] == '@' && (colon = strchr(s, ':')) != NULL) {
		*colon = '\0';
		if (jid_localpart(s + 1, strlen(s + 1), local) == 0)
			check_part(local);
		(void)config_matrix_host(cfg, colon + 1);
	}
	free(s);
	return 0;
}
