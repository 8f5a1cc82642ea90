/* Logging: one line per event on stderr (or a file), with a level.
 * The only global state of the project besides signal flags. Never pass a
 * secret; quote user values as '%s'. */
#pragma once

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

int log_level_parse(const char *s, enum log_level *ret_level);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);

void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...)   log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
