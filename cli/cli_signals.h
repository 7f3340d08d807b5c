/* cli_signals.h - signals as bytes on a pipe (the self-pipe trick).
 *
 * One poll() then waits for the child, its output, a deadline and a signal at once, with no race between
 * testing a flag and going to sleep. SIGINT, SIGTERM, SIGHUP and SIGQUIT ask backoff to stop (they are
 * forwarded to the running attempt); SIGCHLD, for an attempt that exited or was stopped, only wakes the
 * poll. */
#ifndef BACKOFF_CLI_SIGNALS_H
#define BACKOFF_CLI_SIGNALS_H

#include <signal.h>

/* Installs the handlers and ignores SIGPIPE (a closed stdout must not kill backoff while an attempt runs).
 * A stop signal that was ignored when backoff started (nohup) is left ignored. Returns 0, or -1 with errno
 * set. */
int cli_signals_install(void);

/* The descriptor to poll for POLLIN; call cli_signals_drain() when it is readable. */
int cli_signals_fd(void);
void cli_signals_drain(void);

/* The first of SIGINT, SIGTERM, SIGHUP and SIGQUIT received, or 0; and how many of them were received in
 * all. */
int cli_signals_stop_signal(void);
int cli_signals_stop_count(void);

/* Blocks the handled signals around fork(), so that no handler runs in the child before it execs. */
void cli_signals_block(sigset_t *saved);
void cli_signals_unblock(const sigset_t *saved);

/* In a forked child: default dispositions for every signal we handle or ignore, then the saved mask. */
void cli_signals_reset_in_child(const sigset_t *saved);

/* Dies of `signal`, so that the shell sees what a killed command would show (and a shell loop around
 * backoff stops on Ctrl-C); exits 128 + signal if the signal does not kill. */
_Noreturn void cli_signals_die_of(int signal);

#endif
