/* One job's command: fork, exec in a process group of its own (so that the terminal's Ctrl-C reaches
 * backoff, which finishes the job, and not the job itself), and supervise it with poll(): its stderr,
 * the heartbeat that extends the lease, the timeout. */
#include "cli_jobs_run.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli_format.h"

enum { KILL_AFTER_MS = 5000, TAIL_SIZE = 2048 };

static volatile pid_t running_group;

void cli_jobs_run_terminate(void) {
  if (running_group > 0) kill(-running_group, SIGTERM);
}

void cli_jobs_job_read(cli_jobs_job *out, const backoff_jobs_rows *jobs, uint64_t index) {
  memset(out, 0, sizeof *out);
  const void *bytes = "";
  uint64_t size = 0;
  backoff_jobs_rows_get_i64(&out->id, jobs, index, BACKOFF_JOBS_FIELD_ID);
  backoff_jobs_rows_get_i64(&out->lease_token, jobs, index, BACKOFF_JOBS_FIELD_LEASE_TOKEN);
  backoff_jobs_rows_get_i64(&out->attempt, jobs, index, BACKOFF_JOBS_FIELD_ATTEMPT);
  backoff_jobs_rows_get_i64(&out->max_attempts, jobs, index, BACKOFF_JOBS_FIELD_MAX_ATTEMPTS);
  backoff_jobs_rows_get_bytes(&bytes, &size, jobs, index, BACKOFF_JOBS_FIELD_TYPE);
  out->type = bytes;
  backoff_jobs_rows_get_bytes(&bytes, &size, jobs, index, BACKOFF_JOBS_FIELD_QUEUE);
  out->queue = bytes;
  backoff_jobs_rows_get_bytes(&out->payload, &out->payload_size, jobs, index, BACKOFF_JOBS_FIELD_PAYLOAD);
}

static int64_t now_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static void set_number(const char *name, int64_t value) {
  char text[24];
  snprintf(text, sizeof text, "%" PRId64, value);
  setenv(name, text, 1);
}

/* In the child: the job's environment, stdin, stderr, default signals; then exec. On failure, writes
 * errno to `exec_status` (close-on-exec, so a successful exec writes nothing) and exits. */
static _Noreturn void exec_command(const cli_jobs_run_context *context, const cli_jobs_job *job, int input,
                                   int error_pipe, int exec_status) {
  setpgid(0, 0);
  const int defaults[] = {SIGTERM, SIGINT, SIGHUP, SIGPIPE};
  for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; ++i) signal(defaults[i], SIG_DFL);
  dup2(input, STDIN_FILENO);
  dup2(error_pipe, STDERR_FILENO);
  set_number("BACKOFF_JOB_ID", job->id);
  set_number("BACKOFF_JOB_ATTEMPT", job->attempt);
  set_number("BACKOFF_JOB_MAX_ATTEMPTS", job->max_attempts);
  setenv("BACKOFF_JOB_TYPE", job->type, 1);
  setenv("BACKOFF_JOB_QUEUE", job->queue, 1);
  execvp(context->command[0], context->command);
  const int error = errno;
  (void)!write(exec_status, &error, sizeof error);
  _exit(127);
}

/* The payload in an unlinked temporary file, read from its start: any size, no writer to keep alive. */
static int payload_file(const cli_jobs_job *job) {
  FILE *file = tmpfile();
  if (file == NULL) return -1;
  const int fd = dup(fileno(file));
  const bool written = fwrite(job->payload, 1, job->payload_size, file) == job->payload_size && fflush(file) == 0;
  fclose(file);
  if (fd < 0 || !written || lseek(fd, 0, SEEK_SET) != 0) {
    if (fd >= 0) close(fd);
    return -1;
  }
  return fd;
}

/* The supervision: pass stderr through and keep its tail, heartbeat, time out. Returns the wait status. */
typedef struct supervision {
  char tail[TAIL_SIZE];
  size_t tail_size;
  bool timed_out, lease_lost;
} supervision;

static void keep_tail(supervision *watch, const char *bytes, size_t size) {
  if (size >= TAIL_SIZE) {
    memcpy(watch->tail, bytes + size - TAIL_SIZE, TAIL_SIZE);
    watch->tail_size = TAIL_SIZE;
    return;
  }
  const size_t keep = watch->tail_size + size > TAIL_SIZE ? TAIL_SIZE - size : watch->tail_size;
  memmove(watch->tail, watch->tail + watch->tail_size - keep, keep);
  memcpy(watch->tail + keep, bytes, size);
  watch->tail_size = keep + size;
}

static int supervise(cli_jobs_run_context *context, const cli_jobs_job *job, pid_t child, int error_pipe,
                     supervision *watch) {
  const int64_t started = now_ms();
  const int64_t heartbeat_every = context->lease_ns / 3 / 1000000 > 0 ? context->lease_ns / 3 / 1000000 : 1;
  const int64_t deadline = context->options.timeout_ns ? started + context->options.timeout_ns / 1000000 : INT64_MAX;
  int64_t next_heartbeat = started + heartbeat_every, kill_at = INT64_MAX;
  int status = 0;
  for (;;) {
    const int64_t now = now_ms();
    if (now >= next_heartbeat) {
      next_heartbeat = now + heartbeat_every;
      if (backoff_jobs_heartbeat(NULL, context->store, job->id, job->lease_token, context->lease_ns) ==
          BACKOFF_JOBS_ESTALE) {
        watch->lease_lost = true;  /* another worker holds the job now: stop this run of it */
        kill(-child, SIGTERM);
        kill_at = now + KILL_AFTER_MS;
      }
    }
    if (now >= deadline && !watch->timed_out) {
      watch->timed_out = true;
      kill(-child, SIGTERM);
      kill_at = now + KILL_AFTER_MS;
    }
    if (now >= kill_at) kill(-child, SIGKILL);
    int64_t wake = next_heartbeat < deadline ? next_heartbeat : deadline;
    if (kill_at < wake) wake = kill_at;
    int timeout = (int)(wake - now > 1000 ? 1000 : wake - now < 0 ? 0 : wake - now);
    if (error_pipe < 0) {
      /* stderr has closed: poll the child's exit every 10 ms (it may have closed stderr and run on). */
      const pid_t done = waitpid(child, &status, WNOHANG);
      if (done == child) return status;
      if (done < 0 && errno != EINTR) return -1;
      timeout = timeout < 10 ? timeout : 10;
      poll(NULL, 0, timeout);
      continue;
    }
    struct pollfd readable = {error_pipe, POLLIN, 0};
    if (poll(&readable, 1, timeout) <= 0) continue;  /* a timeout, or a signal: look again */
    char buffer[4096];
    const ssize_t got = read(error_pipe, buffer, sizeof buffer);
    if (got > 0) {
      (void)!write(STDERR_FILENO, buffer, (size_t)got);
      keep_tail(watch, buffer, (size_t)got);
    } else if (got == 0 || errno != EINTR) {
      close(error_pipe);
      error_pipe = -1;
    }
  }
}

/* "exit status 3", "killed by signal 9 (Killed)", ... then the stderr tail's last lines. */
static int outcome(const cli_jobs_run_context *context, int status, const supervision *watch, char *error,
                   uint64_t error_size) {
  char duration[CLI_DURATION_SIZE];
  int result = BACKOFF_ATTEMPT_RETRYABLE;
  if (watch->timed_out) {
    cli_format_duration(duration, sizeof duration, context->options.timeout_ns);
    snprintf(error, error_size, "timed out after %s", duration);
  } else if (watch->lease_lost) {
    snprintf(error, error_size, "lease lost: the job was claimed again");
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    return BACKOFF_ATTEMPT_SUCCESS;
  } else if (WIFEXITED(status)) {
    const int code = WEXITSTATUS(status);
    if (context->options.permanent.member[code]) result = BACKOFF_ATTEMPT_PERMANENT;
    snprintf(error, error_size, "exit status %d", code);
  } else {
    snprintf(error, error_size, "killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
  }
  const size_t used = strlen(error);
  if (watch->tail_size > 0 && used + 2 < error_size) {
    const size_t room = error_size - used - 2;
    const size_t take = watch->tail_size < room ? watch->tail_size : room;
    error[used] = '\n';
    memcpy(error + used + 1, watch->tail + watch->tail_size - take, take);
    error[used + 1 + take] = '\0';
  }
  return result;
}

int cli_jobs_run(cli_jobs_run_context *context, const cli_jobs_job *job, char *error, uint64_t error_size) {
  int error_pipe[2] = {-1, -1}, exec_pipe[2] = {-1, -1};
  const int input = payload_file(job);
  if (input < 0 || pipe(error_pipe) != 0 || pipe(exec_pipe) != 0 ||
      fcntl(exec_pipe[1], F_SETFD, FD_CLOEXEC) != 0 || fcntl(error_pipe[0], F_SETFD, FD_CLOEXEC) != 0) {
    snprintf(error, error_size, "backoff could not start the command: %s", strerror(errno));
    if (input >= 0) close(input);
    for (int i = 0; i < 2; ++i) {
      if (error_pipe[i] >= 0) close(error_pipe[i]);
      if (exec_pipe[i] >= 0) close(exec_pipe[i]);
    }
    return BACKOFF_ATTEMPT_RETRYABLE;
  }
  fflush(NULL);
  const pid_t child = fork();
  if (child == 0) {
    close(exec_pipe[0]);
    exec_command(context, job, input, error_pipe[1], exec_pipe[1]);
  }
  close(input);
  close(error_pipe[1]);
  close(exec_pipe[1]);
  if (child < 0) {
    snprintf(error, error_size, "backoff could not fork: %s", strerror(errno));
    close(error_pipe[0]);
    close(exec_pipe[0]);
    return BACKOFF_ATTEMPT_RETRYABLE;
  }
  setpgid(child, child);  /* also here: no race with a signal before the child's own setpgid */
  running_group = child;
  supervision watch = {.tail_size = 0};
  const int status = supervise(context, job, child, error_pipe[0], &watch);
  running_group = 0;
  int exec_error = 0;
  const bool not_run = read(exec_pipe[0], &exec_error, sizeof exec_error) == (ssize_t)sizeof exec_error;
  close(exec_pipe[0]);
  if (not_run) {
    /* The command itself is missing or not executable: every job would fail alike, so stop working. */
    snprintf(error, error_size, "cannot run '%s': %s", context->command[0], strerror(exec_error));
    context->cannot_run_status = exec_error == ENOENT ? 127 : 126;
    backoff_jobs_interrupt(context->store);
    return BACKOFF_ATTEMPT_RETRYABLE;
  }
  return outcome(context, status, &watch, error, error_size);
}
