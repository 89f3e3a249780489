/*
 * chatrest-admin: administration.  From a terminal it runs commands
 * against the configured database; over HTTP it serves /api/admin.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "migrate.h"
#include "restful.h"

static int
adm_migrate(const struct config *cfg, int argc, char **argv)
{
	return migrate_run(cfg->db_migrations, stdout) == 0 ? 0 : 1;
}

static int	adm_help(const struct config *, int, char **);

/* Terminal-only commands: never reachable over HTTP. */
static const struct {
	const char	*name;
	int		(*fn)(const struct config *, int, char **);
	const char	*help;
} commands[] = {
	{ "help", adm_help, "list the commands" },
	{ "migrate", adm_migrate, "apply the sql/ migrations to the database" },
};

#define NCOMMANDS	(sizeof(commands) / sizeof(commands[0]))

static int
adm_help(const struct config *cfg, int argc, char **argv)
{
	size_t	 i;

	for (i = 0; i < NCOMMANDS; i++)
		printf("%-10s %s\n", commands[i].name, commands[i].help);
	return 0;
}

static int
adm_command(const struct config *cfg, int argc, char **argv)
{
	size_t	 i;

	if (argc < 1) {
		fprintf(stderr, "usage: chatrest-admin [-c file] command "
		    "[arg ...]\n");
		return 2;
	}
	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[0], commands[i].name) == 0)
			return commands[i].fn(cfg, argc, argv);
	fprintf(stderr, "chatrest-admin: unknown command: %s\n", argv[0]);
	return 2;
}

static const struct app app = {
	.name = "chatrest-admin",
	.routes = NULL,		/* the HTTP command API is not here yet */
	.nroutes = 0,
	.error = restful_error,
	.command = adm_command,
	.usage = "usage: chatrest-admin [-h] [-c file] command [arg ...]\n",
};

int
main(int argc, char *argv[])
{
	return app_main(&app, argc, argv);
}
