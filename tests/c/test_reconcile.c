/* hcp_reconcile against the emulator: an unknown outcome of funding or coupons settled from the
 * service's records, each verdict checked against what the emulator really applied (its stats);
 * the ticket's text exact and good for later; what cannot be reconciled refused naming the
 * argument, outputs untouched. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define MONEY "update_customer_account_amount"
#define BAD_UTF8 "\xff\xfe"

/* The HCP_OUTCOME_UNKNOWN of `op` under a fault of `kind` (caller frees). */
static hcp_error *lost(const hcp_client *c, const char *op, const char *kind, const char *params) {
    char fault[256];
    snprintf(fault, sizeof fault, "{\"op\": \"%s\", \"kind\": \"%s\", \"count\": 1}", op, kind);
    hc_fault(fault);
    hcp_error *err = hc_call_fails(c, op, params, HCP_OUTCOME_UNKNOWN);
    CHECK(err && hcp_error_ticket(err) != NULL, "%s: an unknown outcome without a ticket", op);
    return err;
}

/* hcp_reconcile that must succeed: the parsed answer (caller frees), or NULL with a failed check. */
static cJSON *reconciled(const hcp_client *c, const char *ticket, uint32_t flags) {
    char *out = NULL;
    hcp_error *err = NULL;
    hcp_result r = hcp_reconcile(c, ticket, flags, &out, &err);
    CHECK(r == HCP_OK, "reconcile -> %d: %s", (int)r, hc_s(hcp_error_message(err)));
    if (r != HCP_OK) {
        hcp_error_free(err);
        return NULL;
    }
    cJSON *v = cJSON_Parse(out);
    CHECK(v != NULL, "not JSON: %s", out);
    hcp_string_free(out);
    return v;
}

static const cJSON *record(const cJSON *answer, int i) {
    return cJSON_GetArrayItem(cJSON_GetObjectItem(answer, "records"), i);
}

static int records(const cJSON *answer) {
    return cJSON_GetArraySize(cJSON_GetObjectItem(answer, "records"));
}

static void lost_funding_is_applied_once(void) {
    hcp_client *c = hc_client("");
    char params[256];
    snprintf(params, sizeof params, "{\"customer_id\": \"%s\", \"amount\": 23.45}", hc_seed("resale_customer_id"));
    hcp_error *err = lost(c, MONEY, "drop_after", params);
    const char *ticket = hc_s(hcp_error_ticket(err));
    CHECK(strstr(ticket, "\"operation\":\"" MONEY "\"") && strstr(ticket, "\"amount\":23.45"), "ticket %s", ticket);
    CHECK(strstr(hcp_error_json(err), "\"ticket\":{\"operation\"") != NULL, "the report holds it: %s",
          hcp_error_json(err));
    char *kept = strdup(ticket); /* the text outlives the error: it can be stored and used later */
    hcp_error_free(err);

    cJSON *r = reconciled(c, kept, 0);
    CHECK(strcmp(hc_str(r, "verdict"), "applied") == 0 && strcmp(hc_str(r, "operation"), MONEY) == 0 &&
              strcmp(hc_str(r, "looked_in"), "list_partner_adjust_records") == 0,
          "answer %s %s %s", hc_str(r, "verdict"), hc_str(r, "operation"), hc_str(r, "looked_in"));
    CHECK(records(r) == 1 && strcmp(hc_str(record(r, 0), "amount"), "23.45") == 0 &&
              strcmp(hc_str(record(r, 0), "customer_id"), hc_seed("resale_customer_id")) == 0,
          "one record of 23.45 (%d)", records(r));
    cJSON_Delete(r);
    CHECK(hc_stat(MONEY, "received") == 1 && hc_stat(MONEY, "applied") == 1, "sent and applied once");
    r = reconciled(c, kept, 0);
    CHECK(strcmp(hc_str(r, "verdict"), "applied") == 0, "again: %s", hc_str(r, "verdict"));
    CHECK(hc_stat(MONEY, "applied") == 1, "reconciling moves nothing");
    cJSON_Delete(r);
    free(kept);
    hcp_client_free(c);
}

static void dropped_before_processing_is_not_applied(void) {
    hcp_client *c = hc_client("");
    char params[256];
    snprintf(params, sizeof params, "{\"customer_id\": \"%s\", \"amount\": 23.46}", hc_seed("resale_customer_id"));
    hcp_error *err = lost(c, MONEY, "drop_before", params);
    cJSON *r = reconciled(c, hcp_error_ticket(err), 0);
    CHECK(strcmp(hc_str(r, "verdict"), "not_applied") == 0 && records(r) == 0, "verdict %s, %d records",
          hc_str(r, "verdict"), records(r));
    CHECK(hc_stat(MONEY, "applied") == 0, "not applied");
    cJSON_Delete(r);
    hcp_error_free(err);
    hcp_client_free(c);
}

static void lost_coupon_issue_is_applied(void) {
    hcp_client *c = hc_client("");
    char params[256];
    snprintf(params, sizeof params, "{\"quota_id\": \"%s\", \"customer_ids\": [\"%s\"], \"face_value\": 3.21}",
             hc_seed("quota_id"), hc_seed("resale_customer_id"));
    hcp_error *err = lost(c, "create_partner_coupons", "drop_after", params);
    cJSON *exact = reconciled(c, hcp_error_ticket(err), 0);
    cJSON *strings = reconciled(c, hcp_error_ticket(err), HCP_FLAG_DECIMAL_STRINGS);
    CHECK(strcmp(hc_str(exact, "verdict"), "applied") == 0 && records(exact) == 1 &&
              strcmp(hc_str(exact, "looked_in"), "list_issued_partner_coupons") == 0,
          "verdict %s, %d records", hc_str(exact, "verdict"), records(exact));
    const cJSON *face = cJSON_GetObjectItem(record(exact, 0), "face_value");
    CHECK(cJSON_IsNumber(face) && face->valuedouble == 3.21, "face value a number");
    CHECK(strcmp(hc_str(record(strings, 0), "face_value"), "3.21") == 0, "face value as a string with the flag");
    CHECK(hc_stat("create_partner_coupons", "applied") == 1, "issued once");
    cJSON_Delete(exact);
    cJSON_Delete(strings);
    hcp_error_free(err);
    hcp_client_free(c);
}

/* r must be HCP_INVALID_ARGUMENT naming `field` with `*out` untouched; frees err. */
static void refused(hcp_result r, hcp_error *err, const char *out, const char *field, const char *what) {
    CHECK(r == HCP_INVALID_ARGUMENT, "%s -> %d", what, (int)r);
    CHECK(err && strcmp(hc_s(hcp_error_field(err)), field) == 0, "%s: field %s, wanted %s (%s)", what,
          hc_s(hcp_error_field(err)), field, hc_s(hcp_error_message(err)));
    CHECK(strcmp(out, "untouched") == 0, "%s: output written", what);
    hcp_error_free(err);
}

#define REFUSED(field, what, call)            \
    do {                                      \
        err = NULL;                           \
        hcp_result r_ = (call);               \
        refused(r_, err, out, field, what);   \
    } while (0)

static void only_an_unknown_outcome_of_a_settled_call_reconciles(void) {
    hcp_client *c = hc_client("");
    char *out = (char *)"untouched";
    hcp_error *err = NULL;
    hcp_error *bad = hc_call_fails(c, MONEY, "{\"customer_id\": \"c\", \"amount\": -1}", HCP_INVALID_ARGUMENT);
    CHECK(hcp_error_ticket(bad) == NULL, "a refused call has no ticket");
    REFUSED("ticket_json", "a refused call's ticket", hcp_reconcile(c, hcp_error_ticket(bad), 0, &out, &err));
    hcp_error_free(bad);
    /* An unknown outcome of a call whose records say nothing of it has no ticket either. */
    hc_fault("{\"op\": \"create_sub_customer\", \"kind\": \"drop_after\", \"count\": 1}");
    hcp_error *unsettled = hc_call_fails(c, "create_sub_customer", "{\"xaccount_id\": \"recon\", \"xaccount_type\": "
                                         "\"hcp_demo_IDP\", \"domain_name\": \"c_recon\"}", HCP_OUTCOME_UNKNOWN);
    CHECK(hcp_error_ticket(unsettled) == NULL, "no ticket for create_sub_customer");
    hcp_error_free(unsettled);
    CHECK(hcp_error_ticket(NULL) == NULL, "NULL error");

    char params[256];
    snprintf(params, sizeof params, "{\"customer_id\": \"%s\", \"amount\": 1.01}", hc_seed("resale_customer_id"));
    hcp_error *e = lost(c, MONEY, "drop_before", params);
    const char *ticket = hcp_error_ticket(e);
    REFUSED("client", "client NULL", hcp_reconcile(NULL, ticket, 0, &out, &err));
    REFUSED("response_json", "out NULL", hcp_reconcile(c, ticket, 0, NULL, &err));
    REFUSED("flags", "unknown flags", hcp_reconcile(c, ticket, 4, &out, &err));
    REFUSED("ticket_json", "not JSON", hcp_reconcile(c, "{\"operation\": ", 0, &out, &err));
    REFUSED("ticket_json", "bad UTF-8", hcp_reconcile(c, "\"" BAD_UTF8 "\"", 0, &out, &err));
    REFUSED("ticket_json", "not an object", hcp_reconcile(c, "[1]", 0, &out, &err));
    REFUSED("ticket_json.operation", "no operation",
            hcp_reconcile(c, "{\"params\": {}, \"began\": 1, \"ended\": 2}", 0, &out, &err));
    REFUSED("ticket_json.began", "began a string",
            hcp_reconcile(c, "{\"operation\": \"" MONEY "\", \"params\": {}, \"began\": \"x\", \"ended\": 2}", 0, &out,
                          &err));
    REFUSED("operation", "an operation without records",
            hcp_reconcile(c, "{\"operation\": \"list_sub_customers\", \"params\": {}, \"began\": 1, \"ended\": 2}", 0,
                          &out, &err));
    REFUSED("amount", "no amount",
            hcp_reconcile(c, "{\"operation\": \"" MONEY "\", \"params\": {\"customer_id\": \"c\"}, \"began\": 1, "
                          "\"ended\": 2}", 0, &out, &err));
    CHECK(hc_stat("list_partner_adjust_records", "received") == 0, "nothing was looked up");
    hcp_error_free(e);
    hcp_client_free(c);
}

int main(void) {
    static const hc_test tests[] = {
        {"lost_funding_is_applied_once", lost_funding_is_applied_once},
        {"dropped_before_processing_is_not_applied", dropped_before_processing_is_not_applied},
        {"lost_coupon_issue_is_applied", lost_coupon_issue_is_applied},
        {"only_an_unknown_outcome_of_a_settled_call_reconciles", only_an_unknown_outcome_of_a_settled_call_reconciles},
    };
    return hc_run(tests, sizeof tests / sizeof tests[0]);
}
