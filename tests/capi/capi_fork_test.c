/* Jitter across fork(): the children of one parent must not retry in lockstep.
 *
 * A pre-forking server (gunicorn --preload, celery prefork, multiprocessing) builds its policies, and
 * perhaps states, in the parent and forks its workers. Each case forks kChildren children that draw
 * kDraws delays each and send them back through a pipe; unseeded streams must all differ (from each
 * other and from the parent's), seeded ones must all be the parent's. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capi_check.h"
#include "capi_fixtures.h"

enum { kChildren = 4, kDraws = 8 };

typedef struct draws {
  int64_t delay_ns[kDraws];
} draws;

/* What a process draws from: a policy, and a state that may already exist. */
typedef struct source {
  backoff_policy *policy;
  backoff_state *state; /* NULL: draw from a state made in the drawing process */
  int stateless;        /* draw backoff_policy_delay(attempt, key 0) instead of a state */
} source;

static void draw_from(const source *from, draws *out) {
  backoff_state *own = NULL;
  backoff_state *state = from->state;
  int i;
  if (!from->stateless && state == NULL) {
    backoff_state_new(&own, from->policy);
    state = own;
  }
  for (i = 0; i < kDraws; ++i) {
    out->delay_ns[i] = -2;
    if (from->stateless) {
      backoff_policy_delay(&out->delay_ns[i], from->policy, (uint64_t)i, 0);
    } else {
      backoff_state_next_at(&out->delay_ns[i], state, 0, 0);
    }
  }
  backoff_state_free(own);
}

/* Forks the children; each draws from `from` and writes its draws to a pipe. Returns the number of
 * children whose draws arrived whole. */
static int draw_in_children(const source *from, draws children[kChildren]) {
  int arrived = 0, i;
  for (i = 0; i < kChildren; ++i) {
    int fds[2];
    pid_t pid;
    if (pipe(fds) != 0) return arrived;
    pid = fork();
    if (pid < 0) return arrived;
    if (pid == 0) {
      draws mine;
      close(fds[0]);
      draw_from(from, &mine);
      /* The child's copies of the parent's objects: freed, so memcheck sees every child exit clean. */
      backoff_state_free(from->state);
      backoff_policy_free(from->policy);
      _exit(write(fds[1], &mine, sizeof mine) == (ssize_t)sizeof mine ? 0 : 1);
    }
    close(fds[1]);
    if (read(fds[0], &children[i], sizeof children[i]) == (ssize_t)sizeof children[i]) ++arrived;
    close(fds[0]);
    waitpid(pid, NULL, 0);
  }
  return arrived;
}

static int same_draws(const draws *a, const draws *b) { return memcmp(a, b, sizeof *a) == 0; }

/* The number of distinct streams among the children's and the parent's. */
static int distinct_streams(const draws children[kChildren], const draws *parent) {
  draws all[kChildren + 1];
  int count = 0, i, j;
  memcpy(all, children, sizeof(draws) * kChildren);
  all[kChildren] = *parent;
  for (i = 0; i <= kChildren; ++i) {
    int seen = 0;
    for (j = 0; j < i; ++j) seen |= same_draws(&all[i], &all[j]);
    count += !seen;
  }
  return count;
}

static void check_unseeded(source *from) {
  draws children[kChildren], parent;
  CHECK(draw_in_children(from, children) == kChildren);
  draw_from(from, &parent);
  CHECK(distinct_streams(children, &parent) == kChildren + 1);
}

/* check_unseeded() on the policy `settings` describe, drawing from states made after the fork or, when
 * `stateless`, from its stateless delays. */
static void check_unseeded_policy(const char *settings, int stateless) {
  source from = {policy_from_text(settings), NULL, stateless};
  check_unseeded(&from);
  backoff_policy_free(from.policy);
}

static void states_made_after_fork_draw_distinct_streams(void) {
  check_unseeded_policy("kind=constant,initial=1s,jitter=full", 0);
}

static void a_state_made_before_fork_draws_differently_in_every_child(void) {
  source from = {NULL, NULL, 0};
  int64_t first;
  from.policy = policy_from_text("kind=exponential,initial=100ms,cap=10s,jitter=full");
  backoff_state_new(&from.state, from.policy);
  CHECK_STATUS(backoff_state_next_at(&first, from.state, 0, 0), BACKOFF_OK); /* in use before the fork */
  check_unseeded(&from);
  backoff_state_free(from.state);
  backoff_policy_free(from.policy);
}

static void decorrelated_states_made_after_fork_draw_distinct_streams(void) {
  check_unseeded_policy("kind=decorrelated,initial=10ms,multiplier=3,cap=5s", 0);
}

static void stateless_delays_of_an_unseeded_policy_differ_between_children(void) {
  check_unseeded_policy("kind=constant,initial=1s,jitter=full", 1);
}

static void seeded_policies_give_every_child_the_parents_delays(void) {
  source stateful = {NULL, NULL, 0}, stateless = {NULL, NULL, 1};
  draws children[kChildren], parent;
  int i;
  stateful.policy = stateless.policy = policy_from_text("kind=constant,initial=1s,jitter=full,seed=42");
  CHECK(draw_in_children(&stateful, children) == kChildren);
  draw_from(&stateful, &parent);
  for (i = 0; i < kChildren; ++i) CHECK(same_draws(&children[i], &parent));
  CHECK(draw_in_children(&stateless, children) == kChildren);
  draw_from(&stateless, &parent);
  for (i = 0; i < kChildren; ++i) CHECK(same_draws(&children[i], &parent));
  backoff_policy_free(stateful.policy);
}

int main(void) {
  RUN_CASE(states_made_after_fork_draw_distinct_streams);
  RUN_CASE(a_state_made_before_fork_draws_differently_in_every_child);
  RUN_CASE(decorrelated_states_made_after_fork_draw_distinct_streams);
  RUN_CASE(stateless_delays_of_an_unseeded_policy_differ_between_children);
  RUN_CASE(seeded_policies_give_every_child_the_parents_delays);
  return check_summary();
}
