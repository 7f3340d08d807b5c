/* cli_child.h - running one attempt of the command in its own process group, and supervising it.
 *
 * The attempt gets its own process group so that a timeout or a forwarded signal reaches everything it
 * started (a shell script's children too). That group is not the terminal's foreground group, so the
 * kernel stops an attempt that reads from the terminal; such an attempt is killed and reported, rather
 * than left stopped for ever.
 *
 * Its standard input is backoff's own, or, to replay that input, a pipe that backoff fills: first with
 * what earlier attempts read (kept in a spool), then with more of backoff's stdin as the attempt reads
 * on, which is kept too. So every attempt reads the same bytes, and backoff reads its stdin no further
 * than an attempt asked for (plus what fits in the pipe, at most one pipe buffer). Its stderr passes through live. Its stdout
 * passes through live, or into `held_output` for the caller to pass on once the attempt's fate is known.
 * With --retry-if-output both go through pipes, so that their tail can be matched. */
#ifndef BACKOFF_CLI_CHILD_H
#define BACKOFF_CLI_CHILD_H

#include <regex.h>
#include <stdbool.h>
#include <stdint.h>

#include "cli_spool.h"

/* Backoff's standard input, kept as attempts read it. */
typedef struct cli_replay {
  cli_spool kept;  /* every byte read from `source` so far */
  int source;      /* the descriptor read from (stdin); -1 once it has ended */
  int error;       /* errno of a failed read or keep (the attempt then saw its input end early), or 0 */
} cli_replay;

typedef struct cli_attempt_options {
  char **command;              /* NULL-terminated argv; command[0] is looked up in PATH */
  int64_t timeout_ns;          /* 0 = no timeout */
  int64_t kill_after_ns;       /* from SIGTERM (timeout or forwarded signal) to SIGKILL */
  const regex_t *output_match; /* NULL = pass the output through untouched, without pipes */
  cli_replay *input;           /* stdin to replay; NULL = the attempt inherits backoff's stdin */
  cli_spool *held_output;      /* cleared, then receives the attempt's stdout; NULL = stdout passes live */
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
  int write_error;     /* errno of a failed write of its output (backoff's stdout or stderr), or 0 */
} cli_attempt_result;

/* Runs one attempt and waits until it has ended. Returns 0 with *out filled, or -1 with errno set when
 * backoff itself could not run it (pipe, fork). If a stop signal arrived before, nothing is run and the
 * result is CLI_ATTEMPT_INTERRUPTED. */
int cli_run_attempt(const cli_attempt_options *options, cli_attempt_result *out);

#endif
