/* The mail daemons ask picd as they work: postfix which addresses exist
 * and who may send as them (socketmap, api/mail_lookup.h), dovecot who
 * may log in and each mailbox's quota (dict, api/account_dict.h). Both
 * answer from the store at that moment: an account change needs no
 * reload, file or restart. */
#pragma once

struct daemon;

/* Opens both servers in the daemons' directories (once; again after
 * apply_mail_stop). A failure is logged: mail then waits for picd. */
void apply_mail_start(struct daemon *d);
void apply_mail_stop(struct daemon *d);

/* Ends the open IMAP and ManageSieve sessions of account `name`
 * (doveadm kick, from the queries worker): after it is disabled, deleted,
 * given a new password, or loses mail. Nothing without dovecot running. */
void apply_mail_kick(struct daemon *d, const char *name);

struct svc;
/* A service's output grew: postfix's lines are counted
 * (d->mail_stats, model/mail_stats.h). */
void apply_mail_log_grew(struct daemon *d, struct svc *s);
