/* libFuzzer: chatrest.conf(5) parsing (lib/config.c). */
#include <stdio.h>
#include <unistd.h>

#include "config.h"
#include "fuzz.h"

static char	 path[] = "/tmp/fuzz-config.XXXXXX";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int	 fd;

	fuzz_quiet();
	if ((fd = mkstemp(path)) == -1)
		abort();
	close(fd);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	*c;
	FILE		*f;
	char		 err[512];

	if ((f = fopen(path, "w")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	if ((c = config_load(path, err, sizeof(err))) != NULL) {
		(void)config_host_served(c, "localhost");
		(void)config_identity_hosts(c);
		config_free(c);
	}
	return 0;
}
