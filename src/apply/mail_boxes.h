/* The cell accounts' mailboxes on disk (dovecot's Maildirs, under
 * mail/<name>/ of its service directory). Deleting an account keeps its
 * mailbox as an orphan, set aside under a name no account can have
 * (".orphan.<name>.<time>"), so a new account of the same name starts
 * empty and the old mail waits until someone deletes it; a purge removes
 * it at once. Removing a tree runs off the loop. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/account.h"

struct daemon;

#define MAIL_ORPHAN_ID_MAX (ACCOUNT_NAME_MAX + 24) /* "<name>.<time>" */

struct mail_orphan {
	char id[MAIL_ORPHAN_ID_MAX + 1];
	char name[ACCOUNT_NAME_MAX + 1];
	int64_t deleted_at;
	int64_t bytes; /* what its messages take */
};

/* Bytes account `name`'s messages take (dovecot's maildirsize), 0 for no
 * mailbox yet. */
int64_t mail_box_used(struct daemon *d, const char *name);

/* Account `name` was deleted: its mailbox (if it has one) is set aside as
 * an orphan, or with `purge` removed. */
int mail_boxes_retire(struct daemon *d, const char *name, bool purge, int64_t now);

/* The orphans, oldest first; free() the list. */
int mail_boxes_orphans(struct daemon *d, struct mail_orphan **ret, size_t *ret_n);

/* Removes orphan `id`: -ENOENT if there is none. */
int mail_boxes_remove_orphan(struct daemon *d, const char *id);

/* Removes what a purge left half-done before a restart. */
void mail_boxes_finish_removals(struct daemon *d);
