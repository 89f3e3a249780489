/*
 * mongoose: MongooseIM 3.x's REST API for backend services
 * (mongoose_api_admin), the fourth encoding of the admin command table.
 *
 * A MongooseIM command is one row of struct mim_cmd: its category,
 * subcategory, action and typed named arguments, from which the path, the
 * method and the argument sources follow as upstream derives them, and
 * the admin command it runs with how its arguments feed that command's.
 * Nothing here runs a command of its own: every row goes through
 * admin_run() like the other three encodings.
 */
#ifndef MONGOOSE_H
#define MONGOOSE_H

#include <stddef.h>

#include <json-c/json.h>

#include "admin.h"
#include "request.h"
#include "response.h"

#define MIM_MAXARGS	6
#define MIM_MAXFIXED	3

enum mim_action {
	MIM_READ = 1,	/* GET: every argument in the path */
	MIM_CREATE,	/* POST: identifiers in the path, the rest in the body */
	MIM_UPDATE,	/* PUT: as create */
	MIM_DELETE,	/* DELETE: as read */
};

enum mim_type {
	MT_BINARY = 1,
	MT_INTEGER,
	MT_LIST,	/* [binary]: never from a path segment */
};

enum mim_argflag {
	MA_ID	= 1 << 0,	/* create/update: a path segment */
	MA_OPT	= 1 << 1,	/* an optarg, from the query string */
};

/* How a MongooseIM argument becomes the command's. */
enum mim_map {
	MAP_ARG = 0,	/* as it is, to the argument "to" */
	MAP_JID,	/* a JID: localpart to "to", host to "to2" */
	MAP_MUC,	/* a host: its MUC domain to "to" */
	MAP_ROOM,	/* a room name: name@<MUC domain of MIM arg "to2"> */
};

struct mim_arg {
	const char	*name;
	enum mim_type	 type;
	unsigned	 flags;
	enum mim_map	 map;
	const char	*to;	/* NULL: not passed on */
	const char	*to2;
};

struct mim_fixed {
	const char	*to;
	const char	*value;
};

enum mim_result {
	MR_OK = 1,	/* 204 */
	MR_TEXT,	/* POST 201 + Location, PUT 201, DELETE 204 */
	MR_JSON,	/* 200 */
};

struct mim_call;
typedef json_object	*(*mim_shape_fn)(const struct mim_call *,
			    json_object *);

struct mim_cmd {
	const char		*name;
	const char		*category;
	const char		*subcategory;	/* NULL: none */
	enum mim_action		 action;
	const char		*desc;
	const char		*command;	/* NULL: shape answers alone */
	enum mim_result		 result;
	int			 fail_status;	/* 0: the command's own */
	const char		*empty_on;	/* this failure means [] */
	mim_shape_fn		 shape;		/* NULL: the result as it is */
	struct mim_arg		 args[MIM_MAXARGS];
	struct mim_fixed	 fixed[MIM_MAXFIXED];
};

struct mim_api {
	const struct mim_cmd	*cmds;
	size_t			 ncmds;
	/* 0, or the status it answered (401, 503). */
	int			(*auth)(struct req *, struct resp *, char *,
				    size_t);
};

/* One request in hand, for the shape functions. */
struct mim_call {
	const struct mim_api	*api;
	const struct mim_cmd	*cmd;
	const struct config	*cfg;
	const char		*val[MIM_MAXARGS];	/* strings as given */
};

const char	*mim_arg(const struct mim_call *, const char *);
int		 mim_serve(const struct mim_api *, struct req *,
		    struct resp *, const char *);
int		 mim_error(struct resp *, int);
json_object	*mim_list_commands(const struct mim_call *, json_object *);

#endif
