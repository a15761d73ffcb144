/* The C suite's harness: an emulator process per test program (the hcpartner-emulator binary,
 * $HCP_EMULATOR), its admin API over a plain HTTP/1.1 socket, checks that count, and helpers
 * that make clients and calls. Only 127.0.0.1 is ever contacted. */
#ifndef HCP_TEST_HARNESS_H
#define HCP_TEST_HARNESS_H

#include <cJSON.h>
#include <hcpartner.h>
#include <stdio.h>

extern int hc_failures;

/* With HCP_SECRETS_DIR set (make test), every error the tests free is first written to
 * c-errors.log there (hcp_error_json: the message, the hint, every field), for
 * tests/secrets/scan.py: the C face has no logging hook, so its error texts are what it shows. */
void hc_error_free(hcp_error *err);
#define hcp_error_free(err) hc_error_free(err)

/* A check: on failure prints where and why, and the test fails (the program goes on). */
#define CHECK(cond, ...)                                                        \
    do {                                                                        \
        if (!(cond)) {                                                          \
            hc_failures++;                                                      \
            fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                       \
            fputc('\n', stderr);                                                \
        }                                                                       \
    } while (0)

typedef struct {
    const char *name;
    void (*run)(void);
} hc_test;

/* Runs every test, printing one line each and "N passed, N failed" at the end; the exit code. */
int hc_run(const hc_test *tests, size_t n);

/* The emulator of this program: started by hc_run before the first test (cn site), reset
 * before each test. `info` is its startup line (url, ak, sk, domain_id, seed, ...). */
typedef struct {
    char url[128];
    cJSON *info;
} hc_emulator;
extern hc_emulator hc_emu;

const char *hc_info(const char *key);  /* a string of the startup line */
const char *hc_seed(const char *key);  /* a string of its "seed" */

/* The emulator's admin API: the answer's body (malloc'd, caller frees) or NULL. */
char *hc_admin(const char *method, const char *path, const char *body);
void hc_fault(const char *fault_json);
/* A counter of /_emulator/stats for an operation (received, applied, ...); 0 when absent. */
int hc_stat(const char *op, const char *counter);

/* A client on the emulator with the partner's AK/SK and fast retries; `extra` is more options
 * as the inside of a JSON object (`"timeouts": {"total": 5}`) or "". Aborts the test program on
 * failure (nothing can be tested without one). */
hcp_client *hc_client(const char *extra);
/* The same with other credentials (a JSON object). */
hcp_client *hc_client_with(const char *credentials_json, const char *extra);
/* A client acting for the seeded resale customer (assume_role through the partner's agency). */
hcp_client *hc_customer_client(void);

/* hcp_call that must succeed: the parsed answer (caller frees with cJSON_Delete), or NULL with a
 * failed check. `raw` (if not NULL) gets the JSON text (caller frees with hcp_string_free). */
cJSON *hc_call(const hcp_client *c, const char *op, const char *params, char **raw);
/* hcp_call that must fail with `want`: the error (caller frees), or NULL with a failed check. */
hcp_error *hc_call_fails(const hcp_client *c, const char *op, const char *params, hcp_result want);

/* A string of an object, "" when absent. */
const char *hc_str(const cJSON *obj, const char *key);
/* A new sub-customer (xaccount_id `xid`): its id, malloc'd. */
char *hc_new_customer(const hcp_client *c, const char *xid);
/* `n` new sub-customers named `prefix`-0..n-1; the number of customers listed after. */
int hc_new_customers(const hcp_client *c, const char *prefix, int n);
/* `s` or "(null)", for messages. */
const char *hc_s(const char *s);

/* Last month as "YYYY-MM" (the emulator's seeded bills). */
void hc_last_month(char out[8]);

#endif
