/* See harness.h. */
#define _GNU_SOURCE
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int hc_failures;
hc_emulator hc_emu;
static pid_t emu_pid;
static int emu_stdin = -1;

void hc_error_free(hcp_error *err) {
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    const char *dir = getenv("HCP_SECRETS_DIR");
    if (err && dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/c-errors.log", dir);
        pthread_mutex_lock(&lock);
        FILE *f = fopen(path, "a");
        if (f) {
            fprintf(f, "%s\n", hc_s(hcp_error_json(err)));
            fclose(f);
        }
        pthread_mutex_unlock(&lock);
    }
    (hcp_error_free)(err); /* the library's: the name in parentheses is not the macro */
}

static void die(const char *what) {
    fprintf(stderr, "harness: %s\n", what);
    exit(2);
}

/* Starts $HCP_EMULATOR --port 0 --exit-with-stdin and reads its startup line. */
static void emu_start(void) {
    const char *bin = getenv("HCP_EMULATOR");
    if (!bin) die("HCP_EMULATOR is not set (the hcpartner-emulator binary)");
    int in[2], out[2];
    if (pipe(in) || pipe(out)) die("pipe");
    emu_pid = fork();
    if (emu_pid < 0) die("fork");
    if (emu_pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        int devnull = open("/dev/null", O_WRONLY); /* its logs would drown the suite's */
        if (devnull >= 0) dup2(devnull, 2);
        close(in[1]);
        close(out[0]);
        execl(bin, bin, "--port", "0", "--exit-with-stdin", "--token-ttl", "3600", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    emu_stdin = in[1];
    static char line[65536];
    size_t n = 0;
    while (n < sizeof line - 1) {
        ssize_t r = read(out[0], line + n, 1);
        if (r <= 0) die("the emulator exited before printing its address");
        if (line[n] == '\n') break;
        n++;
    }
    line[n] = 0;
    close(out[0]);
    hc_emu.info = cJSON_Parse(line);
    if (!hc_emu.info) die("the emulator's startup line is not JSON");
    snprintf(hc_emu.url, sizeof hc_emu.url, "%s", hc_info("url"));
}

static void emu_stop(void) {
    if (emu_stdin >= 0) close(emu_stdin); /* --exit-with-stdin: it exits now */
    if (emu_pid > 0) waitpid(emu_pid, NULL, 0);
    cJSON_Delete(hc_emu.info);
}

const char *hc_info(const char *key) { return hc_str(hc_emu.info, key); }
const char *hc_seed(const char *key) {
    return hc_str(cJSON_GetObjectItemCaseSensitive(hc_emu.info, "seed"), key);
}

const char *hc_str(const cJSON *obj, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

const char *hc_s(const char *s) { return s ? s : "(null)"; }

char *hc_admin(const char *method, const char *path, const char *body) {
    int port = atoi(strrchr(hc_emu.url, ':') + 1);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a)) die("cannot reach the emulator");
    char *req = NULL;
    size_t blen = body ? strlen(body) : 0;
    int len = asprintf(&req,
                       "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                       "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                       method, path, blen, body ? body : "");
    if (len < 0 || write(fd, req, (size_t)len) != len) die("write to the emulator");
    free(req);
    size_t cap = 1 << 16, n = 0;
    char *resp = malloc(cap);
    for (;;) {
        if (n + 4096 > cap) resp = realloc(resp, cap *= 2);
        ssize_t r = read(fd, resp + n, cap - n - 1);
        if (r <= 0) break;
        n += (size_t)r;
    }
    close(fd);
    resp[n] = 0;
    char *start = strstr(resp, "\r\n\r\n");
    if (strncmp(resp, "HTTP/1.1 2", 10) != 0 || !start) {
        fprintf(stderr, "harness: %s %s answered: %.200s\n", method, path, resp);
        free(resp);
        return NULL;
    }
    char *out = strdup(start + 4);
    free(resp);
    return out;
}

void hc_fault(const char *fault_json) {
    free(hc_admin("POST", "/_emulator/faults", fault_json));
}

int hc_stat(const char *op, const char *counter) {
    char *text = hc_admin("GET", "/_emulator/stats", NULL);
    cJSON *doc = cJSON_Parse(text ? text : "");
    free(text);
    const cJSON *ops = cJSON_GetObjectItemCaseSensitive(doc, "ops");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ops, op), counter);
    int n = cJSON_IsNumber(v) ? v->valueint : 0;
    cJSON_Delete(doc);
    return n;
}

hcp_client *hc_client_with(const char *credentials_json, const char *extra) {
    char *options = NULL;
    const char *fast = strstr(extra, "\"retry\"") ? "" : ", \"retry\": {\"base_delay\": 0.01, \"throttle_delay\": 0.01}";
    if (asprintf(&options, "{\"endpoint\": \"%s\", \"credentials\": %s%s%s%s}", hc_emu.url, credentials_json,
                 fast, *extra ? ", " : "", extra) < 0)
        die("asprintf");
    hcp_client *c = NULL;
    hcp_error *err = NULL;
    if (hcp_client_new(options, &c, &err) != HCP_OK) {
        fprintf(stderr, "harness: hcp_client_new(%s): %s\n", options, hc_s(hcp_error_message(err)));
        exit(2);
    }
    free(options);
    return c;
}

static char *partner_credentials(void) {
    char *creds = NULL;
    if (asprintf(&creds, "{\"type\": \"ak_sk\", \"ak\": \"%s\", \"sk\": \"%s\", \"domain_id\": \"%s\"}",
                 hc_info("ak"), hc_info("sk"), hc_info("domain_id")) < 0)
        die("asprintf");
    return creds;
}

hcp_client *hc_client(const char *extra) {
    char *creds = partner_credentials();
    hcp_client *c = hc_client_with(creds, extra);
    free(creds);
    return c;
}

hcp_client *hc_customer_client(void) {
    char *partner = partner_credentials();
    char *creds = NULL;
    if (asprintf(&creds, "{\"type\": \"assume_role\", \"partner\": %s, \"agency_name\": \"%s\", \"customer_id\": \"%s\"}",
                 partner, hc_info("agency_name"), hc_seed("resale_customer_id")) < 0)
        die("asprintf");
    hcp_client *c = hc_client_with(creds, "");
    free(partner);
    free(creds);
    return c;
}

cJSON *hc_call(const hcp_client *c, const char *op, const char *params, char **raw) {
    char *out = NULL;
    hcp_error *err = NULL;
    hcp_result r = hcp_call(c, op, params, &out, &err);
    CHECK(r == HCP_OK, "%s(%s) -> %d: %s", op, params, (int)r, hc_s(hcp_error_message(err)));
    hcp_error_free(err);
    if (r != HCP_OK) return NULL;
    cJSON *doc = cJSON_Parse(out);
    CHECK(doc != NULL, "%s answered text that is not JSON: %.200s", op, out);
    if (raw)
        *raw = out;
    else
        hcp_string_free(out);
    return doc;
}

hcp_error *hc_call_fails(const hcp_client *c, const char *op, const char *params, hcp_result want) {
    char *out = (char *)"untouched";
    hcp_error *err = NULL;
    hcp_result r = hcp_call(c, op, params, &out, &err);
    CHECK(r == want, "%s(%s) -> %d, wanted %d: %s", op, params, (int)r, (int)want, hc_s(hcp_error_message(err)));
    CHECK(strcmp(out, "untouched") == 0, "the output was written on failure");
    CHECK(err != NULL && hcp_error_code(err) == r, "the error carries the same code");
    if (r == HCP_OK) hcp_string_free(out);
    return err;
}

char *hc_new_customer(const hcp_client *c, const char *xid) {
    char params[256];
    snprintf(params, sizeof params,
             "{\"xaccount_id\": \"%s\", \"xaccount_type\": \"%s\", \"domain_name\": \"c_%s\"}", xid,
             hc_info("xaccount_type"), xid);
    cJSON *doc = hc_call(c, "create_sub_customer", params, NULL);
    char *id = strdup(hc_str(doc, "domain_id"));
    CHECK(*id, "create_sub_customer gave no domain_id");
    cJSON_Delete(doc);
    return id;
}

int hc_new_customers(const hcp_client *c, const char *prefix, int n) {
    for (int i = 0; i < n; i++) {
        char xid[64];
        snprintf(xid, sizeof xid, "%.40s-%02d", prefix, i);
        free(hc_new_customer(c, xid));
    }
    cJSON *first = hc_call(c, "list_sub_customers", "{\"limit\": 1}", NULL);
    const cJSON *count = cJSON_GetObjectItemCaseSensitive(first, "count");
    int total = cJSON_IsNumber(count) ? count->valueint : -1;
    cJSON_Delete(first);
    return total;
}

void hc_last_month(char out[8]) {
    time_t now = time(NULL);
    struct tm t;
    gmtime_r(&now, &t);
    unsigned y = (unsigned)t.tm_year + 1900, m = (unsigned)t.tm_mon; /* 0-based: last month */
    if (m == 0) {
        m = 12;
        y--;
    }
    snprintf(out, 8, "%04u-%02u", y % 10000, m % 100);
}

int hc_run(const hc_test *tests, size_t n) {
    /* Tests talk only to 127.0.0.1: the default credential chain must not try the metadata service. */
    setenv("HCPARTNER_METADATA_DISABLED", "1", 1);
    signal(SIGPIPE, SIG_IGN);
    emu_start();
    int passed = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        free(hc_admin("POST", "/_emulator/reset", NULL));
        int before = hc_failures;
        tests[i].run();
        int ok = hc_failures == before;
        ok ? passed++ : failed++;
        printf("%s %s\n", ok ? "ok  " : "FAIL", tests[i].name);
        fflush(stdout);
    }
    emu_stop();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
