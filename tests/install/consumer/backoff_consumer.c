/* The smallest C user of an installed libbackoff: one policy, one delay, printed. Exits nonzero if the
 * library that was loaded disagrees with the header it was compiled against. */
#include <backoff.h>
#include <inttypes.h>
#include <stdio.h>

int main(void) {
  backoff_config *config = NULL;
  backoff_policy *policy = NULL;
  int64_t delay_ns = 0;
  int status;

  if (backoff_version_number() != BACKOFF_VERSION_NUMBER) {
    fprintf(stderr, "header %s but library %s\n", BACKOFF_VERSION_STRING, backoff_version_string());
    return 1;
  }
  status = backoff_config_new(&config);
  if (status == BACKOFF_OK) status = backoff_config_set_text(config, "initial", "100ms");
  if (status == BACKOFF_OK) status = backoff_config_set_text(config, "jitter", "none");
  if (status == BACKOFF_OK) status = backoff_policy_new(&policy, config);
  if (status == BACKOFF_OK) status = backoff_policy_delay(&delay_ns, policy, 0, 0);
  backoff_policy_free(policy);
  backoff_config_free(config);
  if (status != BACKOFF_OK) {
    fprintf(stderr, "libbackoff: %s: %s\n", backoff_strerror(status), backoff_last_error());
    return 1;
  }
  printf("libbackoff %s: first retry after %" PRId64 " ns\n", backoff_version_string(), delay_ns);
  return 0;
}
