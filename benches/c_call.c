/* The C side of benches/c_call.sh: `calls` hcp_call("list_sub_customers") against the static
 * server at `endpoint`, after a warm-up, timed as one batch. Prints the mean ns per call. */
#include <hcpartner.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int one_call(const hcp_client *c) {
    char *out = NULL;
    hcp_error *err = NULL;
    if (hcp_call(c, "list_sub_customers", "{\"offset\": 0, \"limit\": 10}", &out, &err) != HCP_OK) {
        fprintf(stderr, "%s\n", hcp_error_message(err));
        hcp_error_free(err);
        return 1;
    }
    hcp_string_free(out);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 3) return 2;
    long calls = atol(argv[2]);
    char options[512];
    snprintf(options, sizeof options,
             "{\"endpoint\": \"%s\", \"credentials\": {\"type\": \"ak_sk\", \"ak\": \"BENCHAK\", \"sk\": \"BENCHSK\", "
             "\"domain_id\": \"0a1b2c3d4e5f40718293a4b5c6d7e8f9\"}}",
             argv[1]);
    hcp_client *c = NULL;
    if (hcp_client_new(options, &c, NULL) != HCP_OK) return 1;
    for (int i = 0; i < 200; i++)
        if (one_call(c)) return 1;
    double start = now_ns();
    for (long i = 0; i < calls; i++)
        if (one_call(c)) return 1;
    printf("%.0f\n", (now_ns() - start) / (double)calls);
    hcp_client_free(c);
    return 0;
}
