/* config: chatrest.conf(5), one table of keys with types and defaults. */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>

#include "log.h"

#define CONFIG_SECRET_MIN	32

struct strlist {
	char	**v;
	size_t	  n;
};

struct config {
	char		*path;
	int		 world_readable;	/* warned of by FastCGI */

	struct strlist	 hosts;		/* [server] */
	long		 max_body;
	enum log_level	 log_level;

	char		*db_conninfo;	/* [database] */
	char		*db_migrations;
	char		*db_listen_conninfo;	/* default: db_conninfo */
	char		*db_read_conninfo;	/* empty: no replica */
	long		 db_read_max_lag;
	long		 db_prepare;	/* enum config_prepare */
	long		 db_idle_timeout;
	long		 db_restart_check;
	char		*server_front;	/* [server] front; default: hostname */

	long		 scrypt_n;	/* [password] */
	long		 scrypt_r;
	long		 scrypt_p;

	long		 cache_size;	/* [auth] */
	long		 cache_ttl;

	long		 presence_interval;	/* [presence] */
	long		 presence_window;

	char		*register_key;	/* [register] */

	long		 client_max_limit;	/* [client] */
	char		*client_muc_domain;
	struct strlist	 client_cors;
	long		 client_all_can_configure;

	char		*admin_key;	/* [admin] */
	struct strlist	 admins;
	struct strlist	 admin_commands;

	struct strlist	 web_host_list;	/* [web] host: at most one */
	const char	*web_host;	/* it, or the first [server] host */
	char		*web_api_key;
	char		*web_jwt_secret;
	long		 web_jwt_lifetime;
	long		 web_jwt_registered_only;
	struct strlist	 web_cors_hosts;

	long		 id_type;	/* [identity]: enum config_id_type */
	struct strlist	 id_domains;	/* "host=matrix.domain" */
	struct strlist	 id_hosts;	/* empty: every [server] host */
	long		 id_max_body;
	long		 id_bulk_max;
	long		 id_directory_limit;
	long		 id_fail_limit;
	long		 id_fail_window;
	long		 id_fail_delay;	/* ignored: nothing sleeps */

	long		 auth_address_limit;	/* [auth]; fail_* are id_fail_* */
	long		 auth_account_limit;
	long		 idem_window;	/* [server] idempotency_window */

	char		*client_realm;		/* [client] realm */
	char		*web_profile_webhook;	/* [web] profile_webhook */

	long		 ev_keepalive;	/* [events] */
	long		 ev_queue_max;
	long		 ev_max_streams;
	long		 ev_keep;
	long		 ev_sweep;
};

enum config_prepare {
	CONFIG_PREPARE_AUTO,
	CONFIG_PREPARE_ON,
	CONFIG_PREPARE_OFF,
};

enum config_id_type {
	CONFIG_ID_LOCALPART,
	CONFIG_ID_MXID,
};

struct config	*config_load(const char *, char *, size_t);
void		 config_free(struct config *);
const char	*config_path(void);
int		 config_host_served(const struct config *, const char *);
int		 config_list_has(const struct strlist *, const char *);
const struct strlist *config_identity_hosts(const struct config *);
const char	*config_matrix_domain(const struct config *, const char *);
const char	*config_matrix_host(const struct config *, const char *);
void		 config_muc_domain(const struct config *, const char *, char *,
		    size_t);
const char	*config_muc_host(const struct config *, const char *);

#endif
