/* cli_child.h - running one attempt of the command in its own process group, and supervising it.
 *
 * The attempt gets its own process group so that a timeout or a forwarded signal reaches everything it
 * started (a shell script's children too). That group is not the terminal's foreground group, so the
 * kernel stops an attempt that reads from the terminal; such an attempt is killed and reported, rather
 * than left stopped for ever. Its output passes through to backoff's stdout and stderr; with
 * --retry-if-output it goes through pipes so that its tail can be matched. */
#ifndef BACKOFF_CLI_CHILD_H
#define BACKOFF_CLI_CHILD_H

#include <regex.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct cli_attempt_options {
  char **command;              /* NULL-terminated argv; command[0] is looked up in PATH */
  int64_t timeout_ns;          /* 0 = no timeout */
  int64_t kill_after_ns;       /* from SIGTERM (timeout or forwarded signal) to SIGKILL */
  const regex_t *output_match; /* NULL = pass the output through untouched, without pipes */
} cli_attempt_options;

typedef enum cli_attempt_end {
  CLI_ATTEMPT_EXITED,      /* exited by itself with `status` */
  CLI_ATTEMPT_SIGNALED,    /* killed by `signal`, not sent by us */
  CLI_ATTEMPT_TIMED_OUT,   /* ran past the timeout and was killed */
  CLI_ATTEMPT_NOT_RUN,     /* exec failed with `error` */
  CLI_ATTEMPT_NEEDS_TERMINAL, /* the kernel stopped it for using the terminal (SIGTTIN, SIGTTOU); killed */
  CLI_ATTEMPT_INTERRUPTED  /* backoff received `signal` and forwarded it; the attempt has ended */
} cli_attempt_end;

typedef struct cli_attempt_result {
  cli_attempt_end end;
  int status;          /* the shell's view: the exit status, 128 + signal, 124 for a timeout, 126/127 */
  int signal;          /* SIGNALED: the signal that killed it; INTERRUPTED: the one backoff received */
  int error;           /* NOT_RUN: execvp's errno */
  bool output_matched; /* output_match was given and matched the attempt's output */
} cli_attempt_result;

/* Runs one attempt and waits until it has ended. Returns 0 with *out filled, or -1 with errno set when
 * backoff itself could not run it (pipe, fork). If a stop signal arrived before, nothing is run and the
 * result is CLI_ATTEMPT_INTERRUPTED. */
int cli_run_attempt(const cli_attempt_options *options, cli_attempt_result *out);

#endif
