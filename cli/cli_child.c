/* Running one attempt in its own process group, and supervising it. */
#include "cli_child.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backoff.h"
#include "cli.h"
#include "cli_capture.h"
#include "cli_signals.h"

static const int64_t never = INT64_MAX;

/* An attempt's output stream on its way through: read from the pipe, written to backoff's own fd or
 * kept in a spool. */
typedef struct passthrough {
  int from;         /* the pipe's read end, -1 once closed */
  int to;           /* STDOUT_FILENO or STDERR_FILENO, when `hold` is NULL */
  cli_spool *hold;  /* where the bytes go instead, or NULL */
} passthrough;

/* The replayed input on its way to the attempt's stdin pipe. */
typedef struct feeder {
  int to;               /* the pipe's write end (non-blocking), -1 once closed */
  cli_replay *input;
  uint64_t offset;      /* bytes written so far */
} feeder;

typedef struct supervision {
  pid_t group;            /* the attempt's pid, which is also its process group id */
  int64_t timeout_at;     /* when to send SIGTERM; never without --timeout */
  int64_t kill_at;        /* when to send SIGKILL; never until a SIGTERM or a forwarded signal */
  int64_t kill_after_ns;
  bool timed_out;
  bool needs_terminal;    /* stopped by SIGTTIN or SIGTTOU, then killed */
  int forwarded;          /* the stop signal forwarded to the group, 0 if none */
  int stops_seen;         /* stop signals handled so far */
  passthrough streams[2];
  feeder feed;
  bool matching;          /* --retry-if-output: keep the output's tail in `capture` */
  cli_capture capture;
  int write_error;        /* errno of the first failed write of the output */
} supervision;

static int64_t now_ns(void) { return backoff_monotonic_now_ns(); }

static int64_t later_by(int64_t time_ns, int64_t delta_ns) {
  return time_ns > never - delta_ns ? never : time_ns + delta_ns;
}

static int cloexec_pipe(int fds[2]) {
  if (pipe(fds) != 0) return -1;
  fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  return 0;
}

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

/* In the child: its own process group, the default signal handling, the output pipes, then exec. If exec
 * fails, its errno goes back through `exec_error_fd`, which exec would have closed (FD_CLOEXEC). */
static _Noreturn void exec_child(char **command, const sigset_t *saved_mask, int in_pipe[2], int out_pipe[2],
                                 int err_pipe[2], int exec_error_fd) {
  setpgid(0, 0);
  cli_signals_reset_in_child(saved_mask);
  if (in_pipe[0] >= 0) dup2(in_pipe[0], STDIN_FILENO);
  if (out_pipe[1] >= 0) dup2(out_pipe[1], STDOUT_FILENO);
  if (err_pipe[1] >= 0) dup2(err_pipe[1], STDERR_FILENO);
  execvp(command[0], command);
  const int error = errno;
  const ssize_t written = write(exec_error_fd, &error, sizeof error);
  (void)written;
  _exit(CLI_EXIT_NOT_FOUND);
}

/* Returns the child's exec errno, or 0 once exec succeeded and closed the pipe. */
static int wait_for_exec(int fd) {
  int error = 0;
  ssize_t got;
  do {
    got = read(fd, &error, sizeof error);
  } while (got < 0 && errno == EINTR);
  return got == (ssize_t)sizeof error ? error : 0;
}

/* Moves what is ready on one stream; returns false when nothing more was ready. */
static bool pass_through(passthrough *stream, supervision *s) {
  char buffer[65536];
  const ssize_t got = read(stream->from, buffer, sizeof buffer);
  if (got < 0 && errno == EINTR) return true;
  if (got <= 0) {
    if (got == 0 || errno != EAGAIN) close_fd(&stream->from);
    return false;
  }
  /* Our stdout may be gone (EPIPE) or full (ENOSPC): the attempt still runs to its end, and the caller
   * reports the error. */
  int error = 0;
  if (stream->hold != NULL) {
    error = cli_spool_append(stream->hold, buffer, (size_t)got) == 0 ? 0 : errno;
  } else {
    error = cli_write_all(stream->to, buffer, (size_t)got);
  }
  if (s->write_error == 0) s->write_error = error;
  if (s->matching) cli_capture_append(&s->capture, buffer, (size_t)got);
  return true;
}

/* True when the feeder has written all that was kept and waits for more of the source. */
static bool feed_needs_source(const feeder *feed) {
  return feed->to >= 0 && feed->offset >= cli_spool_size(&feed->input->kept) && feed->input->source >= 0;
}

/* Writes what the pipe takes of the kept input. Closes the pipe once the source has ended and all of it
 * was written, or when the attempt has closed its end (EPIPE: it wants no more). */
static void feed_input(feeder *feed) {
  char buffer[65536];
  while (feed->to >= 0) {
    const ssize_t got = cli_spool_read_at(&feed->input->kept, feed->offset, buffer, sizeof buffer);
    if (got == 0 && feed->input->source >= 0) return; /* poll the source for more */
    if (got <= 0) break;
    const ssize_t written = write(feed->to, buffer, (size_t)got);
    if (written < 0 && errno == EINTR) continue;
    if (written < 0 && errno == EAGAIN) return;
    if (written < 0) break;
    feed->offset += (uint64_t)written;
  }
  close_fd(&feed->to);
}

/* Reads what the source has ready (one read, which poll said will not block) and keeps it. */
static void read_source(cli_replay *input) {
  char buffer[65536];
  const ssize_t got = read(input->source, buffer, sizeof buffer);
  if (got < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (got > 0 && cli_spool_append(&input->kept, buffer, (size_t)got) == 0) return;
  if (got != 0) input->error = errno != 0 ? errno : EIO; /* the read's, or the keeping's */
  input->source = -1; /* the end, or an error: either way nothing more comes from it */
}

/* True once the attempt's main process has exited. WNOWAIT leaves it a zombie, so its pid, which names
 * the process group, cannot be reused before we have killed what it left in the group. */
static bool leader_exited(pid_t pid) {
  siginfo_t info;
  memset(&info, 0, sizeof info);
  return waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

/* True when the attempt has just been stopped for reading from or configuring the terminal. Without
 * WNOWAIT, each stop is reported once, so a stop by SIGSTOP (a user's) is seen once and left alone. */
static bool stopped_for_terminal(pid_t pid) {
  siginfo_t info;
  memset(&info, 0, sizeof info);
  if (waitid(P_PID, (id_t)pid, &info, WSTOPPED | WNOHANG) != 0 || info.si_pid != pid) return false;
  return info.si_code == CLD_STOPPED && (info.si_status == SIGTTIN || info.si_status == SIGTTOU);
}

/* Sends what the clock and the stop signals call for: a forwarded signal, SIGTERM at the timeout, SIGKILL
 * when the grace period after either has run out or at a second stop signal. */
static void enforce(supervision *s, int64_t now) {
  const int stops = cli_signals_stop_count();
  if (stops > s->stops_seen) {
    if (s->forwarded == 0) {
      s->forwarded = cli_signals_stop_signal();
      killpg(s->group, s->forwarded);
      if (s->kill_at == never) s->kill_at = later_by(now, s->kill_after_ns);
    } else {
      killpg(s->group, SIGKILL); /* asked twice: stop now */
    }
    s->stops_seen = stops;
  }
  if (!s->timed_out && now >= s->timeout_at) {
    s->timed_out = true;
    killpg(s->group, SIGTERM);
    if (s->kill_at == never) s->kill_at = later_by(now, s->kill_after_ns);
  }
  if (now >= s->kill_at) {
    killpg(s->group, SIGKILL);
    s->kill_at = never;
  }
}

static int poll_timeout_ms(const supervision *s, int64_t now) {
  const int64_t next = s->timeout_at < s->kill_at && !s->timed_out ? s->timeout_at : s->kill_at;
  if (next == never) return -1;
  const int64_t wait_ms = (next - now + BACKOFF_MILLISECOND - 1) / BACKOFF_MILLISECOND;
  return wait_ms <= 0 ? 0 : wait_ms > INT_MAX ? INT_MAX : (int)wait_ms;
}

static void wait_for_event(supervision *s, int64_t now) {
  if (s->feed.to >= 0) feed_input(&s->feed);
  const bool needs_source = feed_needs_source(&s->feed);
  /* Either the pipe has room for kept bytes, or the source has more bytes for the pipe: never both. */
  struct pollfd fds[4] = {{cli_signals_fd(), POLLIN, 0},
                          {s->streams[0].from, POLLIN, 0},
                          {s->streams[1].from, POLLIN, 0},
                          {needs_source ? s->feed.input->source : s->feed.to,
                           needs_source ? POLLIN : POLLOUT, 0}};
  if (poll(fds, 4, poll_timeout_ms(s, now)) <= 0) return;
  if (fds[0].revents) cli_signals_drain();
  for (int i = 0; i < 2; ++i) {
    if (fds[i + 1].revents) pass_through(&s->streams[i], s);
  }
  if (fds[3].revents && needs_source) read_source(s->feed.input);
}

static void fill_result(const supervision *s, int wait_status, const regex_t *output_match,
                        cli_attempt_result *out) {
  if (s->needs_terminal) {
    out->end = CLI_ATTEMPT_NEEDS_TERMINAL;
    out->status = CLI_EXIT_OWN_FAILURE;
  } else if (s->forwarded) {
    out->end = CLI_ATTEMPT_INTERRUPTED;
    out->signal = s->forwarded;
    out->status = CLI_EXIT_SIGNAL_BASE + s->forwarded;
  } else if (s->timed_out) {
    out->end = CLI_ATTEMPT_TIMED_OUT;
    out->status = CLI_EXIT_TIMED_OUT;
  } else if (WIFSIGNALED(wait_status)) {
    out->end = CLI_ATTEMPT_SIGNALED;
    out->signal = WTERMSIG(wait_status);
    out->status = CLI_EXIT_SIGNAL_BASE + out->signal;
  } else {
    out->end = CLI_ATTEMPT_EXITED;
    out->status = WEXITSTATUS(wait_status);
  }
  out->output_matched = output_match != NULL && cli_capture_matches(&s->capture, output_match);
  out->write_error = s->write_error;
}

static void supervise(const cli_attempt_options *options, pid_t pid, int in_fd, int out_fd, int err_fd,
                      cli_attempt_result *out) {
  const int64_t started = now_ns();
  supervision s = {.group = pid,
                   .timeout_at = options->timeout_ns ? later_by(started, options->timeout_ns) : never,
                   .kill_at = never,
                   .kill_after_ns = options->kill_after_ns,
                   .streams = {{out_fd, STDOUT_FILENO, options->held_output}, {err_fd, STDERR_FILENO, NULL}},
                   .feed = {in_fd, options->input, 0},
                   .matching = options->output_match != NULL};
  cli_capture_init(&s.capture);
  for (;;) {
    if (leader_exited(pid)) break;
    if (stopped_for_terminal(pid)) {
      s.needs_terminal = true;
      killpg(pid, SIGKILL); /* a stopped process still dies of SIGKILL */
    }
    const int64_t now = now_ns();
    enforce(&s, now);
    wait_for_event(&s, now);
  }
  /* What a timed-out or interrupted attempt left in its group must not outlive it. */
  if (s.timed_out || s.forwarded || s.needs_terminal) killpg(pid, SIGKILL);
  for (int i = 0; i < 2; ++i) {
    while (s.streams[i].from >= 0 && pass_through(&s.streams[i], &s)) continue;
    close_fd(&s.streams[i].from);
  }
  close_fd(&s.feed.to);
  int wait_status = 0;
  while (waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) continue;
  fill_result(&s, wait_status, options->output_match, out);
  cli_capture_free(&s.capture);
}

int cli_run_attempt(const cli_attempt_options *options, cli_attempt_result *out) {
  memset(out, 0, sizeof *out);
  if (cli_signals_stop_count() > 0) {
    out->end = CLI_ATTEMPT_INTERRUPTED;
    out->signal = cli_signals_stop_signal();
    out->status = CLI_EXIT_SIGNAL_BASE + out->signal;
    return 0;
  }
  int exec_error[2] = {-1, -1}, in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
  const bool capture = options->output_match != NULL;
  const bool pipe_stdout = capture || options->held_output != NULL;
  if (options->held_output != NULL) cli_spool_clear(options->held_output);
  if (cloexec_pipe(exec_error) != 0 || (options->input != NULL && cloexec_pipe(in_pipe) != 0) ||
      (pipe_stdout && cloexec_pipe(out_pipe) != 0) || (capture && cloexec_pipe(err_pipe) != 0)) {
    const int error = errno;
    int *fds[] = {&exec_error[0], &exec_error[1], &in_pipe[0], &in_pipe[1],
                  &out_pipe[0],   &out_pipe[1],   &err_pipe[0], &err_pipe[1]};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; ++i) close_fd(fds[i]);
    errno = error;
    return -1;
  }
  sigset_t saved_mask;
  cli_signals_block(&saved_mask);
  const pid_t pid = fork();
  if (pid == 0) exec_child(options->command, &saved_mask, in_pipe, out_pipe, err_pipe, exec_error[1]);
  const int fork_error = errno;
  cli_signals_unblock(&saved_mask);
  close_fd(&exec_error[1]);
  close_fd(&in_pipe[0]);
  close_fd(&out_pipe[1]);
  close_fd(&err_pipe[1]);
  if (pid > 0) {
    /* The child does this too; doing it here as well means the group exists before any killpg below. */
    setpgid(pid, pid);
    const int exec_errno = wait_for_exec(exec_error[0]);
    if (exec_errno != 0) {
      while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) continue;
      out->end = CLI_ATTEMPT_NOT_RUN;
      out->error = exec_errno;
      out->status = exec_errno == ENOENT ? CLI_EXIT_NOT_FOUND : CLI_EXIT_CANNOT_EXECUTE;
    } else {
      const int nonblocking[] = {in_pipe[1], out_pipe[0], err_pipe[0]};
      for (size_t i = 0; i < sizeof nonblocking / sizeof nonblocking[0]; ++i) {
        if (nonblocking[i] >= 0) fcntl(nonblocking[i], F_SETFL, O_NONBLOCK);
      }
      supervise(options, pid, in_pipe[1], out_pipe[0], err_pipe[0], out);
      in_pipe[1] = out_pipe[0] = err_pipe[0] = -1; /* supervise() closed them */
    }
  }
  close_fd(&exec_error[0]);
  close_fd(&in_pipe[1]);
  close_fd(&out_pipe[0]);
  close_fd(&err_pipe[0]);
  errno = fork_error;
  return pid > 0 ? 0 : -1;
}
