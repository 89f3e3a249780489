/* config: defaults, every type, and errors that name the line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "tap.h"

static char	 path[] = "/tmp/chatrest-config-t.XXXXXX";

static struct config *
load(const char *text, char *err, size_t errlen)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL)
		abort();
	fputs(text, f);
	fclose(f);
	err[0] = '\0';
	return config_load(path, err, errlen);
}

static void
fails(const char *text, int line, const char *what)
{
	struct config	*c;
	char		 err[512], want[64];

	c = load(text, err, sizeof(err));
	ok(c == NULL, what);
	(void)snprintf(want, sizeof(want), ":%d: ", line);
	if (!ok(strstr(err, want) != NULL, "error names the line"))
		printf("#   error: %s\n", err);
	config_free(c);
}

int
main(void)
{
	struct config	*c;
	char		 err[512];
	int		 fd;

	if ((fd = mkstemp(path)) == -1)
		abort();
	close(fd);

	c = load("# comment\n[server]\nhosts = Localhost, example.org\n",
	    err, sizeof(err));
	ok(c != NULL, "minimal file loads");
	is_int(c->hosts.n, 2, "two hosts");
	is_str(c->hosts.v[0], "localhost", "hosts lower-cased");
	is_int(c->max_body, 65536, "max_body default");
	is_int(c->scrypt_n, 16384, "scrypt_n default");
	is_int(c->scrypt_r, 8, "scrypt_r default");
	is_int(c->scrypt_p, 1, "scrypt_p default");
	is_int(c->cache_ttl, 300, "cache_ttl default");
	ok(c->register_key == NULL, "no key by default");
	ok(config_host_served(c, "EXAMPLE.org"), "host served, any case");
	ok(!config_host_served(c, "example.net"), "host not served");
	config_free(c);

	c = load("[server]\nhosts = a\n  max_body = 2048  # inline\n"
	    "[register]\nkey = 0123456789abcdef0123456789abcdef\n"
	    "[database]\nconninfo = host=/tmp dbname=x#y\n"
	    "[admin]\nadmins = a@a b@a\nkey =\n", err, sizeof(err));
	ok(c != NULL, "full file loads");
	is_int(c->max_body, 2048, "integer with comment");
	is_str(c->register_key, "0123456789abcdef0123456789abcdef",
	    "32-byte secret");
	is_str(c->db_conninfo, "host=/tmp dbname=x#y", "# inside a value");
	is_int(c->admins.n, 2, "list");
	ok(config_list_has(&c->admins, "b@a"), "list member");
	ok(c->admin_key == NULL, "empty secret is unset");
	config_free(c);

	fails("[server]\nhosts = a\nbogus = 1\n", 3, "unknown key");
	fails("[server]\nhosts = a\n[nope]\n", 3, "unknown section");
	fails("hosts = a\n", 1, "key outside a section");
	fails("[server]\nhosts = a\nmax_body = 12x\n", 3, "not an integer");
	fails("[server]\nhosts = a\nmax_body = 99999999999\n", 3,
	    "integer too large");
	fails("[server]\nhosts = a\n[password]\nscrypt_n = 3000\n", 4,
	    "not a power of two");
	fails("[server]\nhosts = a\n[register]\nkey = short\n", 4,
	    "short secret");
	fails("[server]\nhosts = a\nlog_level = loud\n", 3, "bad log level");
	fails("[server]\nhosts = a b_c\n", 2, "bad host name");
	fails("[server]\nhosts = a\nhosts = b\n", 3, "duplicate key");
	fails("[server]\nhosts\n", 2, "no equals sign");
	fails("[server\nhosts = a\n", 1, "malformed section");

	/* [database]: the scale-out keys. */
	c = load("[server]\nhosts = a\n[database]\nconninfo = host=pgb\n",
	    err, sizeof(err));
	is_str(c->db_listen_conninfo, "host=pgb",
	    "listen_conninfo defaults to conninfo");
	is_str(c->db_read_conninfo, "", "no replica by default");
	is_int(c->db_read_max_lag, 5, "read_max_lag default");
	is_int(c->db_prepare, CONFIG_PREPARE_AUTO, "prepare default auto");
	is_int(c->db_idle_timeout, 0, "idle_timeout default");
	is_int(c->db_restart_check, 2, "restart_check default");
	ok(c->server_front == NULL, "front unset: the host name");
	config_free(c);
	c = load("[server]\nhosts = a\nfront = web2\n[database]\n"
	    "conninfo = host=pgb\nlisten_conninfo = host=db\n"
	    "prepare = off\nread_conninfo = host=replica\n", err,
	    sizeof(err));
	is_str(c->db_listen_conninfo, "host=db", "listen_conninfo set");
	is_int(c->db_prepare, CONFIG_PREPARE_OFF, "prepare off");
	is_str(c->db_read_conninfo, "host=replica", "read_conninfo set");
	is_str(c->server_front, "web2", "front set");
	config_free(c);
	fails("[server]\nhosts = a\n[database]\nprepare = maybe\n", 4,
	    "bad prepare");
	fails("[server]\nhosts = a\n[database]\nread_max_lag = 0\n", 4,
	    "read_max_lag below 1");

	c = load("[server]\nmax_body = 2048\n", err, sizeof(err));
	ok(c == NULL && strstr(err, "hosts") != NULL, "hosts is required");

	unlink(path);
	c = config_load(path, err, sizeof(err));
	ok(c == NULL && strstr(err, path) != NULL, "missing file named");

	setenv("CHATREST_CONFIG", "/x/y.conf", 1);
	is_str(config_path(), "/x/y.conf", "CHATREST_CONFIG wins");
	unsetenv("CHATREST_CONFIG");
	is_str(config_path(), CHATREST_CONFIG_DEFAULT, "compiled default");
	return done_testing();
}
