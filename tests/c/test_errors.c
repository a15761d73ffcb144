/* Each error path with its stable code and report, from real emulator answers and faults (and a
 * local server that answers HTML); a dropped connection on a money call; NULL and invalid UTF-8
 * in every argument of every function; bad amounts, wrong types and 10 MB strings that send nothing;
 * outputs untouched on failure; _free(NULL). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"

#define BAD_UTF8 "\xff\xfe"

/* r must be HCP_INVALID_ARGUMENT with err naming `field`; frees err. */
static void invalid(hcp_result r, hcp_error *err, const char *field, const char *what) {
    CHECK(r == HCP_INVALID_ARGUMENT, "%s -> %d", what, (int)r);
    CHECK(err && strcmp(hc_s(hcp_error_field(err)), field) == 0, "%s: field %s, wanted %s (%s)", what,
          hc_s(hcp_error_field(err)), field, hc_s(hcp_error_message(err)));
    CHECK(err && strcmp(hcp_error_dispatch(err), "not_sent") == 0, "%s: not sent", what);
    hcp_error_free(err);
}

/* `call` (which writes `err`) must be HCP_INVALID_ARGUMENT naming `field`. (A macro: the call must
 * be sequenced before `err` is read.) */
#define INVALID(field, what, call)              \
    do {                                        \
        err = NULL;                             \
        hcp_result r_ = (call);                 \
        invalid(r_, err, field, what);          \
    } while (0)

static void invalid_argument_names_the_field(void) {
    hcp_client *c = hc_client("");
    hcp_error *err = hc_call_fails(c, "update_customer_account_amount", "{\"customer_id\": \"x\", \"amount\": -1}",
                                   HCP_INVALID_ARGUMENT);
    CHECK(strcmp(hc_s(hcp_error_field(err)), "amount") == 0, "field %s", hc_s(hcp_error_field(err)));
    CHECK(strcmp(hc_s(hcp_error_operation(err)), "update_customer_account_amount") == 0, "operation");
    CHECK(strcmp(hcp_error_kind(err), "InvalidArgument") == 0 && hcp_error_status(err) == 0, "kind, no status");
    CHECK(strstr(hcp_error_message(err), "amount") != NULL, "the message names it: %s", hcp_error_message(err));
    hcp_error_free(err);
    err = hc_call_fails(c, "list_sub_customers", "{\"limit\": 1000}", HCP_INVALID_ARGUMENT);
    CHECK(strcmp(hc_s(hcp_error_field(err)), "limit") == 0, "field %s", hc_s(hcp_error_field(err)));
    hcp_error_free(err);
    err = hc_call_fails(c, "no_such_operation", "{}", HCP_INVALID_ARGUMENT);
    hcp_error_free(err);
    /* Money as a double cannot be exact: 0.1 + 0.2 is refused before sending. */
    err = hc_call_fails(c, "update_customer_account_amount",
                        "{\"customer_id\": \"x\", \"amount\": 0.30000000000000004}", HCP_INVALID_ARGUMENT);
    CHECK(strcmp(hc_s(hcp_error_field(err)), "amount") == 0, "too many places");
    hcp_error_free(err);
    CHECK(hc_stat("update_customer_account_amount", "received") == 0 && hc_stat("list_sub_customers", "received") == 0,
          "nothing was sent");
    hcp_client_free(c);
}

/* Requests the emulator received, summed over every operation. */
static int received_total(void) {
    char *body = hc_admin("GET", "/_emulator/stats", NULL);
    cJSON *stats = body ? cJSON_Parse(body) : NULL;
    int n = 0;
    const cJSON *op = NULL;
    cJSON_ArrayForEach(op, cJSON_GetObjectItem(stats, "ops")) {
        n += cJSON_GetObjectItem(op, "received")->valueint;
    }
    CHECK(stats != NULL, "the emulator's stats");
    cJSON_Delete(stats);
    free(body);
    return n;
}

/* Amounts that are no amount, wrong types, 10 MB strings, invalid UTF-8 and unknown names through
 * hcp_call: each names its field (or the argument, for text that is no JSON or no UTF-8) and the
 * emulator received nothing at all. */
static void bad_input_sends_nothing(void) {
    hcp_client *c = hc_client("");
    hcp_error *err = NULL;
    char *out = NULL;
    int before = received_total();
    static const char *const money[][2] = {
        {"{\"customer_id\": \"c\", \"amount\": NaN}", "params_json"},
        {"{\"customer_id\": \"c\", \"amount\": Infinity}", "params_json"},
        {"{\"customer_id\": \"c\", \"amount\": 1e999}", "amount"},
        {"{\"customer_id\": \"c\", \"amount\": -0.01}", "amount"},
        {"{\"customer_id\": \"c\", \"amount\": 0}", "amount"},
        {"{\"customer_id\": \"c\", \"amount\": 1.005}", "amount"},
        {"{\"customer_id\": \"c\", \"amount\": \"1.005\"}", "amount"},
        {"{\"customer_id\": \"c\", \"amount\": 1e30}", "amount"},
        {"{\"customer_id\": \"c\", \"amount\": \"NaN\"}", "amount"},
        {"{\"customer_id\": \"c\", \"amount\": \"Infinity\"}", "amount"},
        {"{\"customer_id\": \"c\", \"amount\": true}", "amount"},
        {"{\"customer_id\": \"c\", \"amount\": null}", "amount"},
        {"{\"customer_id\": \"c\", \"amount\": [1]}", "amount"},
        {"{\"customer_id\": 5, \"amount\": 1}", "customer_id"},
        {"{\"customer_id\": \"" BAD_UTF8 "\", \"amount\": 1}", "params_json"},
        {"{\"amount\": 1}", "customer_id"},
        {"[1]", "params"},
    };
    for (size_t i = 0; i < sizeof money / sizeof money[0]; i++) {
        INVALID(money[i][1], money[i][0], hcp_call(c, "update_customer_account_amount", money[i][0], &out, &err));
    }
    INVALID("face_value", "face value -0.5",
            hcp_call(c, "create_partner_coupons", "{\"quota_id\": \"Q\", \"customer_ids\": [\"c\"], \"face_value\": -0.5}",
                     &out, &err));
    INVALID("limit", "limit \"ten\"", hcp_call(c, "list_sub_customers", "{\"limit\": \"ten\"}", &out, &err));
    INVALID("no_such_field", "unknown key", hcp_call(c, "list_sub_customers", "{\"no_such_field\": 1}", &out, &err));
    INVALID("operation", "unknown operation", hcp_call(c, "no_such_operation", "{}", &out, &err));
    INVALID("operation", "empty operation", hcp_call(c, "", "{}", &out, &err));

    /* 10 MB: in a field with a length limit and in one without; the message stays short. */
    size_t huge = 10u * 1000 * 1000;
    char *params = malloc(huge + 64);
    const char *fields[] = {"account_name", "customer_id"};
    const char *ops[] = {"list_sub_customers", "update_customer_account_amount"};
    for (int k = 0; k < 2; k++) {
        int n = sprintf(params, "{\"%s\": \"", fields[k]);
        memset(params + n, 'x', huge);
        strcpy(params + n + huge, k ? "\", \"amount\": 1}" : "\"}");
        err = NULL;
        CHECK(hcp_call(c, ops[k], params, &out, &err) == HCP_INVALID_ARGUMENT, "10 MB %s", fields[k]);
        CHECK(strlen(hc_s(hcp_error_message(err))) < 600, "a short message: %zu bytes", strlen(hc_s(hcp_error_message(err))));
        invalid(HCP_INVALID_ARGUMENT, err, fields[k], "10 MB");
    }
    free(params);
    CHECK(out == NULL, "no output written by a failed call");
    CHECK(received_total() == before, "nothing reached the service: %d requests before, %d after", before, received_total());
    hcp_client_free(c);
}

static void bad_options_name_the_option(void) {
    struct { const char *options, *field; } cases[] = {
        {"{\"timeouts\": {\"total\": -1}}", "timeouts.total"},
        {"{\"timout\": 5}", "timout"},
        {"{\"retry\": {\"max_attempts\": 0}}", "retry.max_attempts"},
        {"{\"site\": \"eu\"}", "site"},
        {"{\"credentials\": {\"type\": \"aksk\"}}", "credentials.type"},
        {"{} x", "options"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hcp_client *c = (hcp_client *)&cases; /* a sentinel: must stay untouched */
        hcp_error *err = NULL;
        hcp_result r = hcp_client_new(cases[i].options, &c, &err);
        CHECK(c == (hcp_client *)&cases, "out untouched for %s", cases[i].options);
        invalid(r, err, cases[i].field, cases[i].options);
    }
    /* Text that is not JSON. (The facade names no field for a syntax error: its path is "?".) */
    hcp_client *c = NULL;
    hcp_error *err = NULL;
    CHECK(hcp_client_new("{\"site\": ", &c, &err) == HCP_INVALID_ARGUMENT && c == NULL, "not JSON");
    CHECK(strstr(hc_s(hcp_error_message(err)), "EOF while parsing") != NULL, "%s", hc_s(hcp_error_message(err)));
    hcp_error_free(err);
    /* A secret in options that fail never shows in the error. */
    err = NULL;
    hcp_result r = hcp_client_new(
        "{\"credentials\": {\"type\": \"ak_sk\", \"ak\": \"A\", \"sk\": \"SKSECRET-42\"}, \"proxy\": \"http://u:PWSECRET@p:1\", \"bad\": 1}",
        &c, &err);
    CHECK(r == HCP_INVALID_ARGUMENT, "refused");
    CHECK(!strstr(hcp_error_json(err), "SKSECRET-42") && !strstr(hcp_error_json(err), "PWSECRET"), "no secret: %s",
          hcp_error_json(err));
    hcp_error_free(err);
}

static void auth_error_hides_the_secret_and_is_not_retried(void) {
    char creds[256];
    snprintf(creds, sizeof creds,
             "{\"type\": \"ak_sk\", \"ak\": \"%s\", \"sk\": \"not-the-secret-key\", \"domain_id\": \"%s\"}",
             hc_info("ak"), hc_info("domain_id"));
    hcp_client *c = hc_client_with(creds, "");
    hcp_error *err = hc_call_fails(c, "list_sub_customers", "{}", HCP_AUTH);
    CHECK(strcmp(hc_s(hcp_error_error_code(err)), "APIGW.0301") == 0 && hcp_error_status(err) == 401, "%s %d",
          hc_s(hcp_error_error_code(err)), hcp_error_status(err));
    CHECK(!strstr(hcp_error_json(err), "not-the-secret-key"), "the secret key is not in the report");
    CHECK(hc_stat("list_sub_customers", "received") == 1, "a refused signature is not retried");
    hcp_error_free(err);
    hcp_client_free(c);
}

static void api_error_carries_code_status_and_request_id(void) {
    hcp_client *c = hc_client("");
    char *id = hc_new_customer(c, "rich");
    char params[256];
    snprintf(params, sizeof params, "{\"customer_id\": \"%s\", \"amount\": 99999999}", id);
    hcp_error *err = hc_call_fails(c, "update_customer_account_amount", params, HCP_API);
    CHECK(strcmp(hc_s(hcp_error_error_code(err)), "CBC.99005003") == 0 && hcp_error_status(err) == 400, "code %s",
          hc_s(hcp_error_error_code(err)));
    CHECK(strcmp(hcp_error_dispatch(err), "responded") == 0 && !hcp_error_retryable(err), "responded, final");
    const char *rid = hcp_error_request_id(err);
    CHECK(rid && *rid && strstr(hcp_error_message(err), rid), "the request id is in the message");
    CHECK(strstr(hcp_error_error_msg(err), "insufficient") != NULL, "msg: %s", hcp_error_error_msg(err));
    cJSON *report = cJSON_Parse(hcp_error_json(err));
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(report, "code");
    CHECK(cJSON_IsNumber(code) && code->valueint == 300, "the JSON report has the code");
    cJSON_Delete(report);
    hcp_error_free(err);
    free(id);
    hcp_client_free(c);
}

static void throttled(void) {
    hc_fault("{\"path\": \"/v2/partners/sub-customers/query\", \"kind\": \"throttle\", \"count\": 5}");
    hcp_client *c = hc_client("\"retry\": {\"max_attempts\": 2, \"base_delay\": 0.01, \"throttle_delay\": 0.01}");
    hcp_error *err = hc_call_fails(c, "list_sub_customers", "{}", HCP_THROTTLED);
    CHECK(hcp_error_status(err) == 429 && strcmp(hc_s(hcp_error_error_code(err)), "APIGW.0308") == 0, "429");
    CHECK(hcp_error_retryable(err) && hcp_error_attempts(err) == 2, "retryable after %u attempts",
          hcp_error_attempts(err));
    hcp_error_free(err);
    hcp_client_free(c);
}

/* A server that answers every request with an HTML page and status 200. */
static int html_fd;
static void *html_server(void *arg) {
    (void)arg;
    for (;;) {
        int fd = accept(html_fd, NULL, NULL);
        if (fd < 0) return NULL;
        /* Read the whole request first: closing with unread bytes would reset the connection. */
        char buf[16384] = {0};
        size_t n = 0;
        char *end = NULL;
        while (n < sizeof buf - 1 && !(end = strstr(buf, "\r\n\r\n"))) {
            ssize_t r = read(fd, buf + n, sizeof buf - 1 - n);
            if (r <= 0) break;
            buf[n += (size_t)r] = 0;
        }
        const char *cl = strcasestr(buf, "content-length:");
        size_t want = end ? (size_t)(end + 4 - buf) + (cl ? strtoul(cl + 15, NULL, 10) : 0) : 0;
        while (n < want && n < sizeof buf - 1) {
            ssize_t r = read(fd, buf + n, sizeof buf - 1 - n);
            if (r <= 0) break;
            n += (size_t)r;
        }
        const char *html = "<html><body>maintenance</body></html>";
        char page[256];
        int len = snprintf(page, sizeof page,
                           "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %zu\r\n"
                           "Connection: close\r\n\r\n%s", strlen(html), html);
        ssize_t w = write(fd, page, (size_t)len);
        (void)w;
        close(fd);
    }
}

static void decode(void) {
    html_fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    CHECK(bind(html_fd, (struct sockaddr *)&a, sizeof a) == 0 && listen(html_fd, 8) == 0, "listen");
    getsockname(html_fd, (struct sockaddr *)&a, &len);
    pthread_t t;
    pthread_create(&t, NULL, html_server, NULL);
    char options[256];
    snprintf(options, sizeof options,
             "{\"endpoint\": \"http://127.0.0.1:%d\", \"credentials\": {\"type\": \"ak_sk\", \"ak\": \"a\", \"sk\": "
             "\"b\", \"domain_id\": \"d\"}, \"retry\": {\"base_delay\": 0.01}}",
             ntohs(a.sin_port));
    hcp_client *c = NULL;
    CHECK(hcp_client_new(options, &c, NULL) == HCP_OK, "client");
    hcp_error *err = hc_call_fails(c, "list_sub_customers", "{}", HCP_DECODE);
    CHECK(hcp_error_status(err) == 200, "status %d", hcp_error_status(err));
    CHECK(strstr(hc_s(hcp_error_body_excerpt(err)), "maintenance") != NULL, "excerpt %s",
          hc_s(hcp_error_body_excerpt(err)));
    hcp_error_free(err);
    hcp_client_free(c);
    shutdown(html_fd, SHUT_RDWR); /* ends the accept loop */
    pthread_join(t, NULL);
    close(html_fd);
}

static void timeout(void) {
    hc_fault("{\"path\": \"/v2/partners/sub-customers/query\", \"kind\": \"delay\", \"delay_ms\": 1500, \"count\": 3}");
    hcp_client *c = hc_client("\"timeouts\": {\"attempt\": 0.3}, \"retry\": {\"max_attempts\": 2, \"base_delay\": 0.01}");
    hcp_error *err = hc_call_fails(c, "list_sub_customers", "{}", HCP_TIMEOUT);
    CHECK(strcmp(hcp_error_dispatch(err), "maybe_sent") == 0, "maybe sent");
    hcp_error_free(err);
    hcp_client_free(c);
}

static void connect_error(void) {
    hcp_client *c = NULL;
    CHECK(hcp_client_new("{\"endpoint\": \"http://127.0.0.1:9\", \"credentials\": {\"type\": \"ak_sk\", \"ak\": \"a\", "
                         "\"sk\": \"b\", \"domain_id\": \"d\"}, \"retry\": {\"max_attempts\": 2, \"base_delay\": 0.01}}",
                         &c, NULL) == HCP_OK,
          "client");
    hcp_error *err = hc_call_fails(c, "update_customer_account_amount", "{\"customer_id\": \"c\", \"amount\": 1}", HCP_CONNECT);
    CHECK(strcmp(hcp_error_dispatch(err), "not_sent") == 0 && hcp_error_attempts(err) == 2,
          "never sent, so even money may be retried: %s %u", hcp_error_dispatch(err), hcp_error_attempts(err));
    hcp_error_free(err);
    hcp_client_free(c);
}

/* The answer to a funding call is lost: OUTCOME_UNKNOWN, and the money moved exactly once. */
static void money_moves_once_when_the_answer_is_lost(void) {
    hcp_client *c = hc_client("");
    char *id = hc_new_customer(c, "lost");
    hc_fault("{\"path\": \"/v2/accounts/partner-accounts/adjust-amount\", \"kind\": \"drop_after\", \"count\": 1}");
    char params[256];
    snprintf(params, sizeof params, "{\"customer_id\": \"%s\", \"amount\": 10.00}", id);
    hcp_error *err = hc_call_fails(c, "update_customer_account_amount", params, HCP_OUTCOME_UNKNOWN);
    CHECK(strcmp(hcp_error_dispatch(err), "maybe_sent") == 0 && !hcp_error_retryable(err), "maybe sent, final");
    CHECK(strstr(hc_s(hcp_error_hint(err)), "may have been applied") != NULL, "hint: %s", hc_s(hcp_error_hint(err)));
    CHECK(hc_stat("update_customer_account_amount", "received") == 1, "sent once");
    CHECK(hc_stat("update_customer_account_amount", "applied") == 1, "applied once");
    hcp_error_free(err);
    char *raw = NULL;
    snprintf(params, sizeof params, "{\"customer_infos\": [{\"customer_id\": \"%s\"}]}", id);
    cJSON_Delete(hc_call(c, "list_customers_balances_detail", params, &raw));
    CHECK(raw && strstr(raw, "\"amount\":10.00"), "the balance is exactly 10.00: %.300s", hc_s(raw));
    hcp_string_free(raw);
    free(id);
    hcp_client_free(c);
}

static void null_and_bad_utf8_in_every_argument(void) {
    hcp_client *c = hc_client("");
    hcp_error *err = NULL;
    char *out = (char *)"untouched";
    hcp_client *cout = NULL;
    hcp_pager *pout = NULL;

    INVALID("options_json", "client_new(NULL)", hcp_client_new(NULL, &cout, &err));
    INVALID("options_json", "client_new(bad utf8)", hcp_client_new("{\"user_agent\": \"" BAD_UTF8 "\"}", &cout, &err));
    INVALID("out", "client_new(out NULL)", hcp_client_new("{}", NULL, &err));
    CHECK(cout == NULL, "no client made");
    CHECK(hcp_client_new(NULL, &cout, NULL) == HCP_INVALID_ARGUMENT, "err may be NULL");

    for (int flags = 0; flags < 2; flags++) {
        /* flags == 0: hcp_call; 1: hcp_call_flags */
#define CALL(cl, op, params, o, e) (flags ? hcp_call_flags(cl, op, params, 0, o, e) : hcp_call(cl, op, params, o, e))
        INVALID("client", "call(client NULL)", CALL(NULL, "list_sub_customers", "{}", &out, &err));
        INVALID("operation", "call(operation NULL)", CALL(c, NULL, "{}", &out, &err));
        INVALID("operation", "call(operation utf8)", CALL(c, "list_sub_" BAD_UTF8, "{}", &out, &err));
        INVALID("params_json", "call(params NULL)", CALL(c, "list_sub_customers", NULL, &out, &err));
        INVALID("params_json", "call(params utf8)", CALL(c, "list_sub_customers", "{\"x\": \"" BAD_UTF8 "\"}", &out, &err));
        INVALID("params_json", "call(params not JSON)", CALL(c, "list_sub_customers", "{\"limit\": ", &out, &err));
        INVALID("response_json", "call(out NULL)", CALL(c, "list_sub_customers", "{}", NULL, &err));
        CHECK(CALL(c, "list_sub_customers", NULL, &out, NULL) == HCP_INVALID_ARGUMENT, "err may be NULL");
#undef CALL
    }
    INVALID("flags", "call(flags)", hcp_call_flags(c, "list_sub_customers", "{}", 0x80, &out, &err));
    INVALID("flags", "call(pages)", hcp_call_flags(c, "list_sub_customers", "{}", HCP_FLAG_PAGES, &out, &err));
    CHECK(strcmp(out, "untouched") == 0, "no output written by a failed call");

    INVALID("client", "pager(client NULL)", hcp_pager_new(NULL, "list_sub_customers", "{}", 0, &pout, &err));
    INVALID("operation", "pager(operation NULL)", hcp_pager_new(c, NULL, "{}", 0, &pout, &err));
    INVALID("operation", "pager(operation utf8)", hcp_pager_new(c, BAD_UTF8, "{}", 0, &pout, &err));
    INVALID("params_json", "pager(params NULL)", hcp_pager_new(c, "list_sub_customers", NULL, 0, &pout, &err));
    INVALID("params_json", "pager(params utf8)", hcp_pager_new(c, "list_sub_customers", "\"" BAD_UTF8 "\"", 0, &pout, &err));
    INVALID("flags", "pager(flags)", hcp_pager_new(c, "list_sub_customers", "{}", 0x40, &pout, &err));
    INVALID("out", "pager(out NULL)", hcp_pager_new(c, "list_sub_customers", "{}", 0, NULL, &err));
    INVALID("limit", "pager(bad limit)", hcp_pager_new(c, "list_sub_customers", "{\"limit\": 5000}", 0, &pout, &err));
    err = NULL;
    CHECK(hcp_pager_new(c, "update_customer_account_amount", "{}", 0, &pout, &err) == HCP_INVALID_ARGUMENT, "not paginated");
    hcp_error_free(err);
    CHECK(pout == NULL, "no pager made");
    INVALID("pager", "pager_next(NULL)", hcp_pager_next(NULL, &out, &err));
    CHECK(hcp_pager_new(c, "list_sub_customers", "{}", 0, &pout, NULL) == HCP_OK, "a pager");
    INVALID("item_json", "pager_next(out NULL)", hcp_pager_next(pout, NULL, &err));
    hcp_pager_free(pout);

    hcp_signing_key key = {"AK", "SK", NULL, NULL};
    INVALID("method", "sign(method NULL)", hcp_sign_request(NULL, "https://h/p", NULL, NULL, 0, &key, NULL, &out, &err));
    INVALID("method", "sign(method utf8)", hcp_sign_request("G" BAD_UTF8, "https://h/p", NULL, NULL, 0, &key, NULL, &out, &err));
    INVALID("url", "sign(url NULL)", hcp_sign_request("GET", NULL, NULL, NULL, 0, &key, NULL, &out, &err));
    INVALID("url", "sign(url utf8)", hcp_sign_request("GET", "https://h/" BAD_UTF8, NULL, NULL, 0, &key, NULL, &out, &err));
    INVALID("headers_json", "sign(headers utf8)", hcp_sign_request("GET", "https://h/p", "[[\"a\", \"" BAD_UTF8 "\"]]", NULL, 0, &key, NULL, &out, &err));
    INVALID("headers_json", "sign(headers shape)", hcp_sign_request("GET", "https://h/p", "[[\"a\"]]", NULL, 0, &key, NULL, &out, &err));
    INVALID("body", "sign(body NULL, len 3)", hcp_sign_request("GET", "https://h/p", NULL, NULL, 3, &key, NULL, &out, &err));
    INVALID("key", "sign(key NULL)", hcp_sign_request("GET", "https://h/p", NULL, NULL, 0, NULL, NULL, &out, &err));
    hcp_signing_key bad[] = {{NULL, "SK", NULL, NULL}, {BAD_UTF8, "SK", NULL, NULL}, {"AK", NULL, NULL, NULL},
                             {"AK", BAD_UTF8, NULL, NULL}, {"AK", "SK", BAD_UTF8, NULL}, {"AK", "SK", NULL, BAD_UTF8}};
    const char *fields[] = {"key.ak", "key.ak", "key.sk", "key.sk", "key.security_token", "key.domain_id"};
    for (size_t i = 0; i < 6; i++) {
        INVALID(fields[i], fields[i], hcp_sign_request("GET", "https://h/p", NULL, NULL, 0, &bad[i], NULL, &out, &err));
    }
    INVALID("sdk_date", "sign(date utf8)", hcp_sign_request("GET", "https://h/p", NULL, NULL, 0, &key, BAD_UTF8, &out, &err));
    INVALID("sdk_date", "sign(date)", hcp_sign_request("GET", "https://h/p", NULL, NULL, 0, &key, "yesterday", &out, &err));
    INVALID("signed_headers_json", "sign(out NULL)", hcp_sign_request("GET", "https://h/p", NULL, NULL, 0, &key, NULL, NULL, &err));
    CHECK(strcmp(out, "untouched") == 0, "no output written by a failed signature");

    /* Getters and frees take NULL. */
    CHECK(hcp_error_code(NULL) == HCP_OK && hcp_error_kind(NULL) == NULL && hcp_error_message(NULL) == NULL &&
              hcp_error_status(NULL) == 0 && !hcp_error_retryable(NULL) && hcp_error_json(NULL) == NULL &&
              hcp_error_field(NULL) == NULL && hcp_error_attempts(NULL) == 0 && hcp_error_dispatch(NULL) == NULL,
          "getters of NULL");
    hcp_error_free(NULL);
    hcp_string_free(NULL);
    hcp_pager_free(NULL);
    hcp_client_free(NULL);
    CHECK(hc_stat("list_sub_customers", "received") == 0, "nothing of it was sent");
    hcp_client_free(c);
}

int main(void) {
    static const hc_test tests[] = {
        {"invalid_argument_names_the_field", invalid_argument_names_the_field},
        {"bad_input_sends_nothing", bad_input_sends_nothing},
        {"bad_options_name_the_option", bad_options_name_the_option},
        {"auth_error_hides_the_secret_and_is_not_retried", auth_error_hides_the_secret_and_is_not_retried},
        {"api_error_carries_code_status_and_request_id", api_error_carries_code_status_and_request_id},
        {"throttled", throttled},
        {"decode", decode},
        {"timeout", timeout},
        {"connect_error", connect_error},
        {"money_moves_once_when_the_answer_is_lost", money_moves_once_when_the_answer_is_lost},
        {"null_and_bad_utf8_in_every_argument", null_and_bad_utf8_in_every_argument},
    };
    return hc_run(tests, sizeof tests / sizeof tests[0]);
}
