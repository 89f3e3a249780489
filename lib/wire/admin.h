/*
 * admin: the administration command table and its three encodings.
 *
 * A command is one row of struct admin_cmd (name, typed named arguments,
 * result type, flags, help) and one function of type admin_fn.  The
 * encodings -- ejabberd mod_restful_admin (positional JSON), mod_http_api
 * (named JSON or query) and the shell (argv) -- all decode into struct
 * admin_call, run admin_run(), and encode what the function left there.
 */
#ifndef ADMIN_H
#define ADMIN_H

#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

#include "config.h"
#include "request.h"
#include "response.h"

#define ADMIN_MAXARGS	8
#define ADMIN_MSG_MAX	512

enum admin_type {
	A_STRING = 1,	/* JSON string ("binary" in ejabberd) */
	A_PASSWORD,	/* a string that is a secret: redacted in the audit */
	A_INTEGER,	/* JSON number; a digit string in positional or query form */
	A_LIST,		/* JSON array of strings; comma-separated in text forms */
	A_PAIRS,	/* name/value pairs: a JSON object, or an array of
			   {"name","value"} objects; "n:v,n:v" in text forms */
};

enum admin_arg_flag {
	A_OPTIONAL	= 1 << 0,	/* may be left out (only at the end) */
	A_PRIVATE	= 1 << 1,	/* content (a message body): redacted in
					   the audit like a password */
};

struct admin_arg {
	const char	*name;
	enum admin_type	 type;
	unsigned	 flags;
	const char	*help;
};

enum admin_result {
	R_NONE = 1,	/* terminal commands that print their own output */
	R_RESCODE,	/* "ok"/"error"; 0/1 */
	R_RESTUPLE,	/* {"ok":"text"}; "text" */
	R_STRING,	/* "text"; {"<result_name>":"text"} in v0 */
	R_INTEGER,	/* N; {"<result_name>":N} */
	R_STRINGS,	/* ["a","b"] */
	R_TUPLES,	/* [["v1","v2"]]; [{"f1":"v1","f2":"v2"}] */
	R_TUPLE,	/* ["v1","v2"]; {"f1":"v1","f2":"v2"} */
};

enum admin_flag {
	C_STATE		= 1 << 0,	/* changes state: one transaction, audited */
	C_TERMINAL	= 1 << 1,	/* shell only: never reachable over HTTP */
};

enum admin_via {
	VIA_RESTFUL,	/* POST /api/admin */
	VIA_HTTP_API,	/* POST or GET /api/admin/<command> */
	VIA_SHELL,	/* chatrest-admin COMMAND ARG... */
	VIA_MONGOOSE,	/* MongooseIM's backend API (lib/wire/mongoose.c) */
};

struct admin_val {
	int		 set;		/* 0: an optional argument left out */
	const char	*s;		/* strings: NUL-free, NUL-terminated */
	size_t		 len;
	long long	 i;		/* integers */
	json_object	*list;		/* A_LIST: strings; A_PAIRS: [n,v]
					   arrays; owned by the call */
};

struct admin_cmd;

/* What a command receives and leaves behind. */
struct admin_call {
	const struct config	*cfg;
	const struct admin_cmd	*cmd;
	enum admin_via		 via;
	int			 version;	/* mod_http_api /vN, else 0 */
	const char		*actor;		/* for the audit trail */
	const char		*idem_key;	/* Idempotency-Key, or NULL */
	struct admin_val	 arg[ADMIN_MAXARGS];
	FILE			*out;		/* terminal commands only */

	/* Success: the result, by the command's result type. */
	int			 rescode;	/* R_RESCODE: 0 ok, 1 error */
	json_object		*res;		/* other types; owned */

	/* Failure (the function returned -1). */
	const char		*err_atom;	/* mod_restful {"error":atom} */
	int			 err_status;	/* mod_http_api status */
	int			 err_code;	/* its code; 0: bare string body */
	char			 err_msg[ADMIN_MSG_MAX];
};

/* 0 on success, -1 after admin_fail() or admin_dbfail(). */
typedef int	(*admin_fn)(struct admin_call *);

struct admin_cmd {
	const char		*name;
	admin_fn		 fn;
	unsigned		 flags;		/* enum admin_flag */
	enum admin_result	 result;
	const char		*result_name;	/* R_INTEGER in mod_http_api v0 */
	const char		*help;
	struct admin_arg	 args[ADMIN_MAXARGS];	/* ends at name NULL */
};

/* An older argument name mod_http_api still accepts (args_rename). */
struct admin_rename {
	const char	*cmd;
	const char	*old;
	const char	*name;
};

/* The table lives with the commands (cgi-bin/admin-commands.c). */
extern const struct admin_cmd	admin_commands[];
extern const size_t		admin_ncommands;
extern const struct admin_rename	admin_renames[];
extern const size_t		admin_nrenames;

const struct admin_cmd	*admin_find(const char *);
size_t			 admin_nargs(const struct admin_cmd *);
int			 admin_allowed(const struct config *,
			    const struct admin_cmd *);

void	admin_call_init(struct admin_call *, const struct config *,
	    const struct admin_cmd *, enum admin_via, const char *);
void	admin_call_free(struct admin_call *);
int	admin_fail(struct admin_call *, const char *, int, int,
	    const char *, ...) __attribute__((format(printf, 5, 6)));
int	admin_dbfail(struct admin_call *, int);
int	admin_run(struct admin_call *);

/* Decoders: 0, or the HTTP status (the body is written) / exit status. */
int	admin_from_restful(struct admin_call *, json_object *, struct resp *);
int	admin_from_named(struct admin_call *, json_object *, struct resp *);
int	admin_from_query(struct admin_call *, const struct req_kv *, size_t,
	    struct resp *);
int	admin_from_argv(struct admin_call *, int, char **);

/* Encoders: the HTTP status written, or the exit status. */
int	admin_to_restful(struct admin_call *, int, struct resp *);
int	admin_to_http_api(struct admin_call *, int, struct resp *);
int	admin_to_shell(struct admin_call *, int, FILE *, FILE *);

int	admin_http_error(struct resp *, int, int, const char *);
void	admin_usage(const struct admin_cmd *, FILE *);

#endif
