/* Stopping a test's child daemon (see child_proc.h). */
#include "child_proc.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/banned.h"

void child_stop(pid_t *pid)
{
	if (*pid <= 0)
		return;
	kill(*pid, SIGTERM);
	for (int i = 0; i < 300; i++) {
		if (waitpid(*pid, NULL, WNOHANG) == *pid) {
			*pid = -1;
			return;
		}
		usleep(10 * 1000);
	}
	kill(*pid, SIGKILL);
	waitpid(*pid, NULL, 0);
	*pid = -1;
}
