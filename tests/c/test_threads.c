/* One client shared by 8 threads: state changes and reads in parallel, each applied once; a
 * pager shared by threads hands each item out once; a client used before fork() works in the
 * child. */
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define THREADS 8
#define PER_THREAD 4

static hcp_client *shared;
static char ids[THREADS * PER_THREAD][64];

static void *work(void *arg) {
    int t = (int)(intptr_t)arg;
    for (int i = 0; i < PER_THREAD; i++) {
        char xid[32];
        snprintf(xid, sizeof xid, "thr-%d-%d", t, i);
        char *id = hc_new_customer(shared, xid);
        snprintf(ids[t * PER_THREAD + i], sizeof ids[0], "%s", id);
        free(id);
        char params[128];
        snprintf(params, sizeof params, "{\"customer_id\": \"%s\", \"amount\": 1.25}", ids[t * PER_THREAD + i]);
        cJSON_Delete(hc_call(shared, "update_customer_account_amount", params, NULL));
        cJSON_Delete(hc_call(shared, "list_sub_customers", "{\"limit\": 5}", NULL));
    }
    return NULL;
}

static void eight_threads_share_one_client(void) {
    shared = hc_client("");
    pthread_t th[THREADS];
    for (int t = 0; t < THREADS; t++) pthread_create(&th[t], NULL, work, (void *)(intptr_t)t);
    for (int t = 0; t < THREADS; t++) pthread_join(th[t], NULL);
    int n = THREADS * PER_THREAD, distinct = 1;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++) distinct &= strcmp(ids[i], ids[j]) != 0 && ids[i][0];
    CHECK(distinct, "every thread made its own customers");
    CHECK(hc_stat("create_sub_customer", "applied") == n, "created %d", hc_stat("create_sub_customer", "applied"));
    CHECK(hc_stat("update_customer_account_amount", "applied") == n, "funded once each");
    CHECK(hc_stat("update_customer_account_amount", "received") == n, "sent once each");
    /* 32 x 1.25 left the partner's 100000.00, exactly. */
    char *raw = NULL;
    cJSON_Delete(hc_call(shared, "list_partner_balances", "{}", &raw));
    CHECK(raw && strstr(raw, "\"amount\":99960.00"), "the partner's balance: %.300s", hc_s(raw));
    hcp_string_free(raw);
    hcp_client_free(shared);
}

static hcp_pager *shared_pager;
static int taken[THREADS];

static void *drain(void *arg) {
    int t = (int)(intptr_t)arg;
    char *item = NULL;
    hcp_error *err = NULL;
    while (hcp_pager_next(shared_pager, &item, &err) == HCP_OK && item) {
        taken[t]++;
        hcp_string_free(item);
    }
    CHECK(err == NULL, "pager error: %s", hc_s(hcp_error_message(err)));
    hcp_error_free(err);
    return NULL;
}

static void threads_share_one_pager(void) {
    hcp_client *c = hc_client("");
    int total = hc_new_customers(c, "pg", 12);
    CHECK(hcp_pager_new(c, "list_sub_customers", "{\"limit\": 3}", 0, &shared_pager, NULL) == HCP_OK, "pager");
    pthread_t th[THREADS];
    for (int t = 0; t < THREADS; t++) pthread_create(&th[t], NULL, drain, (void *)(intptr_t)t);
    int sum = 0;
    for (int t = 0; t < THREADS; t++) {
        pthread_join(th[t], NULL);
        sum += taken[t];
    }
    CHECK(sum == total, "%d items handed out, %d exist", sum, total);
    hcp_pager_free(shared_pager);
    hcp_client_free(c);
}

static void a_client_works_after_fork(void) {
    hcp_client *c = hc_client("");
    cJSON_Delete(hc_call(c, "list_sub_customers", "{\"limit\": 1}", NULL)); /* runtime and pool in use */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        char *out = NULL;
        hcp_result r = hcp_call(c, "list_sub_customers", "{\"limit\": 1}", &out, NULL);
        hcp_string_free(out);
        hcp_client_free(c);
        /* Leave by exec, not exit: the child leaks the parent's runtime on purpose (its threads
         * are gone; core/src/runtime.rs), which valgrind would count against it. The parent,
         * whose memory is what this suite checks, is checked as usual. */
        char code[64];
        snprintf(code, sizeof code, "exit %d", r == HCP_OK ? 0 : 10 + (int)(r / 100));
        execl("/bin/sh", "sh", "-c", code, (char *)NULL);
        _exit(99);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child's call: status %d", status);
    cJSON_Delete(hc_call(c, "list_sub_customers", "{\"limit\": 1}", NULL)); /* and the parent's still works */
    CHECK(hc_stat("list_sub_customers", "received") == 3, "three calls arrived");
    hcp_client_free(c);
}

int main(void) {
    static const hc_test tests[] = {
        {"eight_threads_share_one_client", eight_threads_share_one_client},
        {"threads_share_one_pager", threads_share_one_pager},
        {"a_client_works_after_fork", a_client_works_after_fork},
    };
    return hc_run(tests, sizeof tests / sizeof tests[0]);
}
