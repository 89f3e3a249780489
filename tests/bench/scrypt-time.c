/*
 * bench-scrypt: milliseconds per scrypt hash with the [password]
 * parameters of chatrest.conf, as chatrest-register computes one.  The
 * ceiling of anything that hashes a password is cores / this time.
 *
 *   bench-scrypt [COUNT]	(default 20 hashes)
 */
#include <libscrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "config.h"

int
main(int argc, char **argv)
{
	struct config	*cfg;
	struct timespec	 t0, t1;
	char		 err[256], mcf[SCRYPT_MCF_LEN];
	int		 i, count;

	count = argc > 1 ? atoi(argv[1]) : 20;
	if (count < 1 ||
	    (cfg = config_load(config_path(), err, sizeof(err))) == NULL) {
		fprintf(stderr, "usage: bench-scrypt [count] (%s)\n",
		    count < 1 ? "count" : err);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < count; i++)
		if (libscrypt_hash(mcf, "benchmark password",
		    (uint32_t)cfg->scrypt_n, (uint8_t)cfg->scrypt_r,
		    (uint8_t)cfg->scrypt_p) <= 0)
			return 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.2f\n", ((double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6) / count);
	config_free(cfg);
	return 0;
}
