/*
 * admin-mongoose: the admin commands MongooseIM's backend API needs that
 * ejabberd has no counterpart for, and that API's route table.
 */
#ifndef ADMIN_MONGOOSE_H
#define ADMIN_MONGOOSE_H

#include "admin.h"
#include "mongoose.h"

int	cmd_add_contact(struct admin_call *);
int	cmd_change_muc_light_room_configuration(struct admin_call *);
int	cmd_contact_subscription(struct admin_call *);
int	cmd_create_muc_light_room(struct admin_call *);
int	cmd_create_muc_room(struct admin_call *);
int	cmd_delete_contact(struct admin_call *);
int	cmd_delete_muc_light_room(struct admin_call *);
int	cmd_get_last_messages(struct admin_call *);
int	cmd_invite_to_muc_light_room(struct admin_call *);
int	cmd_kick_from_room(struct admin_call *);
int	cmd_list_contacts(struct admin_call *);
int	cmd_send_message_to_muc_light_room(struct admin_call *);
int	cmd_set_subscription(struct admin_call *);

extern const struct mim_cmd	mim_commands[];
extern const size_t		mim_ncommands;

#endif
