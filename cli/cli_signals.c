/* Signals as bytes on a pipe. */
#include "cli_signals.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
enum { STOP_SIGNAL_COUNT = sizeof stop_signals / sizeof stop_signals[0] };

static int wake_pipe[2] = {-1, -1};
/* Signals ignored when backoff started (nohup, a background job of a script) stay ignored, for backoff and
 * for the command, as a shell would leave them. */
static sigset_t ignored_at_start;
static volatile sig_atomic_t first_stop_signal;
static volatile sig_atomic_t stop_count;

static void on_signal(int signal) {
  const int saved_errno = errno;
  if (signal != SIGCHLD) {
    if (first_stop_signal == 0) first_stop_signal = signal;
    stop_count = stop_count + 1;
  }
  /* A full pipe already holds a wake-up, so a failed write loses nothing. */
  const char byte = 0;
  const ssize_t written = write(wake_pipe[1], &byte, 1);
  (void)written;
  errno = saved_errno;
}

static int set_flags(int fd) {
  const int status_flags = fcntl(fd, F_GETFL);
  if (status_flags < 0 || fcntl(fd, F_SETFL, status_flags | O_NONBLOCK) < 0) return -1;
  return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static bool was_ignored(int signal) {
  struct sigaction current;
  return sigaction(signal, NULL, &current) == 0 && current.sa_handler == SIG_IGN;
}

int cli_signals_install(void) {
  if (pipe(wake_pipe) != 0 || set_flags(wake_pipe[0]) != 0 || set_flags(wake_pipe[1]) != 0) return -1;
  sigemptyset(&ignored_at_start);
  struct sigaction action = {0};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (int i = 0; i < STOP_SIGNAL_COUNT; ++i) {
    if (was_ignored(stop_signals[i])) {
      sigaddset(&ignored_at_start, stop_signals[i]);
    } else if (sigaction(stop_signals[i], &action, NULL) != 0) {
      return -1;
    }
  }
  /* Without SA_NOCLDSTOP: an attempt stopped for using the terminal must wake the poll too. */
  if (sigaction(SIGCHLD, &action, NULL) != 0) return -1;
  if (was_ignored(SIGPIPE)) sigaddset(&ignored_at_start, SIGPIPE);
  action.sa_handler = SIG_IGN;
  action.sa_flags = 0;
  return sigaction(SIGPIPE, &action, NULL);
}

int cli_signals_fd(void) { return wake_pipe[0]; }

void cli_signals_drain(void) {
  char bytes[64];
  while (read(wake_pipe[0], bytes, sizeof bytes) > 0) continue;
}

int cli_signals_stop_signal(void) { return first_stop_signal; }
int cli_signals_stop_count(void) { return stop_count; }

static void handled_set(sigset_t *set) {
  sigemptyset(set);
  for (int i = 0; i < STOP_SIGNAL_COUNT; ++i) sigaddset(set, stop_signals[i]);
  sigaddset(set, SIGCHLD);
}

void cli_signals_block(sigset_t *saved) {
  sigset_t handled;
  handled_set(&handled);
  sigprocmask(SIG_BLOCK, &handled, saved);
}

void cli_signals_unblock(const sigset_t *saved) { sigprocmask(SIG_SETMASK, saved, NULL); }

void cli_signals_reset_in_child(const sigset_t *saved) {
  struct sigaction action = {0};
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  for (int i = 0; i < STOP_SIGNAL_COUNT; ++i) {
    if (!sigismember(&ignored_at_start, stop_signals[i])) sigaction(stop_signals[i], &action, NULL);
  }
  sigaction(SIGCHLD, &action, NULL);
  /* An ignored disposition survives exec: give the command SIGPIPE's as backoff found it. */
  if (!sigismember(&ignored_at_start, SIGPIPE)) sigaction(SIGPIPE, &action, NULL);
  sigprocmask(SIG_SETMASK, saved, NULL);
}

_Noreturn void cli_signals_die_of(int signal) {
  /* SIGQUIT's default action dumps core; backoff is passing a signal on, not crashing: no core file. */
  const struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  struct sigaction action = {0};
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  sigaction(signal, &action, NULL);
  sigset_t unblock;
  sigemptyset(&unblock);
  sigaddset(&unblock, signal);
  sigprocmask(SIG_UNBLOCK, &unblock, NULL);
  raise(signal);
  _exit(128 + signal);
}
