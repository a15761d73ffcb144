/* Every operation category through hcp_call against the emulator, exact money in and out (and
 * as strings when asked), pagination by items and by pages, the operation table, the version. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static void customers_and_realname(void) {
    hcp_client *c = hc_client("");
    char *a = hc_new_customer(c, "cust-a");
    cJSON *list = hc_call(c, "list_sub_customers", "{\"limit\": 100}", NULL);
    int found = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(list, "customer_infos")) {
        if (strcmp(hc_str(it, "customer_id"), a) == 0) {
            found = 1;
            CHECK(strcmp(hc_str(it, "xaccount_id"), "cust-a") == 0, "xaccount_id %s", hc_str(it, "xaccount_id"));
            CHECK(strcmp(hc_str(it, "association_type"), "2") == 0, "a resale customer");
        }
    }
    CHECK(found, "the new customer is listed");
    char params[512];
    snprintf(params, sizeof params,
             "{\"customer_id\": \"%s\", \"identify_type\": 0, \"verified_file_url\": [\"a.jpg\", \"b.jpg\"], "
             "\"name\": \"Zhang San\", \"verified_number\": \"110101199001011234\", \"xaccount_type\": \"%s\"}",
             a, hc_info("xaccount_type"));
    cJSON *auth = hc_call(c, "create_personal_realname_auth", params, NULL);
    CHECK(cJSON_HasObjectItem(auth, "is_review"), "is_review in the answer");
    snprintf(params, sizeof params, "{\"customer_id\": \"%s\"}", a);
    cJSON *review = hc_call(c, "show_realname_authentication_review_result", params, NULL);
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(review, "review_result");
    CHECK(cJSON_IsNumber(result) && result->valueint == 2, "approved");
    cJSON_Delete(list);
    cJSON_Delete(auth);
    cJSON_Delete(review);
    free(a);
    hcp_client_free(c);
}

/* Money goes in as a JSON number with its digits, and comes back with them (or as a string). */
static void accounts_move_exact_money(void) {
    hcp_client *c = hc_client("");
    char *a = hc_new_customer(c, "fund-a");
    char params[256], *raw = NULL;
    snprintf(params, sizeof params, "{\"customer_id\": \"%s\", \"amount\": 500.10}", a);
    cJSON *moved = hc_call(c, "update_customer_account_amount", params, NULL);
    CHECK(*hc_str(moved, "transfer_id"), "a transfer id");
    snprintf(params, sizeof params, "{\"customer_id\": \"%s\", \"amount\": 0.10}", a);
    cJSON_Delete(hc_call(c, "reclaim_to_partner_account", params, NULL));
    snprintf(params, sizeof params, "{\"customer_infos\": [{\"customer_id\": \"%s\"}]}", a);
    cJSON_Delete(hc_call(c, "list_customers_balances_detail", params, &raw));
    CHECK(raw && strstr(raw, "\"amount\":500.00"), "the exact digits: %.300s", hc_s(raw));
    hcp_string_free(raw);

    char *text = NULL;
    hcp_error *err = NULL;
    hcp_result r = hcp_call_flags(c, "list_customers_balances_detail", params, HCP_FLAG_DECIMAL_STRINGS, &text, &err);
    CHECK(r == HCP_OK, "as strings: %s", hc_s(hcp_error_message(err)));
    cJSON *doc = cJSON_Parse(text ? text : "");
    const cJSON *row = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "customer_balances"), 0);
    CHECK(strcmp(hc_str(row, "amount"), "500.00") == 0, "a decimal as a string: %s", hc_s(text));
    const cJSON *measure = cJSON_GetObjectItemCaseSensitive(row, "measure_id");
    CHECK(cJSON_IsNumber(measure), "an int stays a number");
    CHECK(hc_stat("update_customer_account_amount", "applied") == 1, "moved once");
    cJSON_Delete(doc);
    cJSON_Delete(moved);
    hcp_string_free(text);
    free(a);
    hcp_client_free(c);
}

static void coupons_indirect_partners_system(void) {
    hcp_client *c = hc_client("");
    char *a = hc_new_customer(c, "coup-a");
    char params[512];
    snprintf(params, sizeof params,
             "{\"quota_id\": \"%s\", \"customer_ids\": [\"%s\", \"%s\"], \"face_value\": 50.25, "
             "\"cloud_service_types\": [\"hws.service.type.ec2\"]}",
             hc_seed("quota_id"), a, hc_seed("consulting_customer_id"));
    cJSON *issued = hc_call(c, "create_partner_coupons", params, NULL);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(issued, "coupon_infos")) == 1, "one coupon issued");
    const cJSON *detail = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(issued, "error_details"), 0);
    CHECK(strcmp(hc_str(detail, "error_code"), "CBC.99000014") == 0, "a consulting-sale customer gets none");
    char *raw = NULL;
    snprintf(params, sizeof params, "{\"customer_id\": \"%s\"}", a);
    cJSON_Delete(hc_call(c, "list_issued_partner_coupons", params, &raw));
    CHECK(raw && strstr(raw, "\"face_value\":50.25"), "the coupon's exact face value: %.300s", hc_s(raw));
    hcp_string_free(raw);
    cJSON_Delete(hc_call(c, "list_partner_balances", "{}", &raw));
    CHECK(raw && strstr(raw, "\"amount\":100000.00"), "the seeded partner balance, exact: %.300s", hc_s(raw));
    hcp_string_free(raw);
    cJSON *provinces = hc_call(c, "list_provinces", "{}", NULL);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(provinces, "provinces")) > 0, "provinces");
    cJSON_Delete(provinces);
    cJSON_Delete(issued);
    free(a);
    hcp_client_free(c);
}

static void bills_orders_resources_as_a_customer(void) {
    hcp_client *partner = hc_client("");
    hcp_client *c = hc_customer_client();
    char month[8], params[256], *raw = NULL;
    hc_last_month(month);
    snprintf(params, sizeof params, "{\"bill_cycle\": \"%s\"}", month);
    cJSON *sum = hc_call(c, "show_customer_monthly_sum", params, NULL);
    const cJSON *total = cJSON_GetObjectItemCaseSensitive(sum, "total_count");
    CHECK(cJSON_IsNumber(total) && total->valueint >= 1, "a bill last month");
    snprintf(params, sizeof params, "{\"customer_id\": \"%s\", \"cycle\": \"%s\", \"charge_mode\": \"1\"}",
             hc_seed("resale_customer_id"), month);
    cJSON_Delete(hc_call(partner, "list_subcustomer_monthly_bills", params, &raw));
    CHECK(raw && strstr(raw, "\"amount\":129.60"), "the partner's view, exact: %.300s", hc_s(raw));
    hcp_string_free(raw);
    cJSON *orders = hc_call(c, "list_customer_orders", "{}", NULL);
    total = cJSON_GetObjectItemCaseSensitive(orders, "total_count");
    CHECK(cJSON_IsNumber(total) && total->valueint >= 2, "the seeded orders");
    snprintf(params, sizeof params, "{\"order_id\": \"%s\"}", hc_seed("paid_order_id"));
    cJSON *order = hc_call(c, "show_customer_order_details", params, NULL);
    CHECK(strcmp(hc_str(cJSON_GetObjectItemCaseSensitive(order, "order_info"), "order_id"), hc_seed("paid_order_id")) == 0,
          "the order asked for");
    snprintf(params, sizeof params, "{\"resource_id\": \"%s\"}", hc_seed("server_resource_id"));
    cJSON_Delete(hc_call(c, "auto_renewal_resources", params, NULL));
    cJSON_Delete(hc_call(c, "cancel_auto_renewal_resources", params, NULL));
    CHECK(hc_stat("auto_renewal_resources", "applied") == 1, "renewal set once");
    cJSON_Delete(sum);
    cJSON_Delete(orders);
    cJSON_Delete(order);
    hcp_client_free(c);
    hcp_client_free(partner);
}

static void enterprise_costs_free_resources(void) {
    hcp_client *c = hc_customer_client();
    cJSON *tree = hc_call(c, "list_enterprise_organizations", "{\"recursive_query\": 1}", NULL);
    const cJSON *node = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(tree, "child_nodes"), 0);
    CHECK(strcmp(hc_str(node, "id"), hc_seed("org_id")) == 0, "the seeded organization");
    char *state_text = hc_admin("GET", "/_emulator/state", NULL);
    cJSON *state = cJSON_Parse(state_text ? state_text : "");
    const char *cycle = hc_str(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(state, "bills"), 0), "bill_cycle");
    char params[512];
    snprintf(params, sizeof params,
             "{\"time_condition\": {\"time_measure_id\": 2, \"begin_time\": \"%s\", \"end_time\": \"%s\"}, "
             "\"groupby\": [{\"type\": \"dimension\", \"key\": \"CLOUD_SERVICE_TYPE\"}], "
             "\"cost_type\": \"ORIGINAL_COST\", \"amount_type\": \"PAYMENT_AMOUNT\"}",
             cycle, cycle);
    cJSON *costs = hc_call(c, "list_costs", params, NULL);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(costs, "cost_data")) > 0, "costs of %s", cycle);
    cJSON *free_res = hc_call(c, "list_free_resource_infos", "{}", NULL);
    const cJSON *pkg = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(free_res, "free_resource_packages"), 0);
    const cJSON *fr = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(pkg, "free_resources"), 0);
    CHECK(strcmp(hc_str(fr, "free_resource_id"), hc_seed("free_resource_id")) == 0, "the seeded package");
    cJSON_Delete(tree);
    cJSON_Delete(state);
    free(state_text);
    cJSON_Delete(costs);
    cJSON_Delete(free_res);
    hcp_client_free(c);
}

static void pricing_products_iam(void) {
    hcp_client *c = hc_client("");
    char *raw = NULL;
    cJSON_Delete(hc_call(c, "list_on_demand_resource_ratings",
                         "{\"project_id\": \"p1\", \"product_infos\": [{\"id\": \"1\", \"cloud_service_type\": "
                         "\"hws.service.type.ec2\", \"resource_type\": \"hws.resource.type.vm\", \"resource_spec\": "
                         "\"s6.large.2.linux\", \"region\": \"cn-north-4\", \"usage_factor\": \"Duration\", "
                         "\"usage_value\": 10, \"usage_measure_id\": 4, \"subscription_num\": 2}]}",
                         &raw));
    /* 0.40/h x 10 h x 2, as the emulator prints it */
    CHECK(raw && (strstr(raw, "\"amount\":8,") || strstr(raw, "\"amount\":8.0")), "the price: %.300s", hc_s(raw));
    hcp_string_free(raw);
    cJSON *types = hc_call(c, "list_service_types", "{}", NULL);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(types, "service_types")) > 0, "service types");
    cJSON *domains = hc_call(c, "keystone_list_auth_domains", "{}", NULL);
    const cJSON *d = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(domains, "domains"), 0);
    CHECK(strcmp(hc_str(d, "id"), hc_info("domain_id")) == 0, "IAM names the partner's account");
    cJSON_Delete(types);
    cJSON_Delete(domains);
    hcp_client_free(c);
}

/* Every item across pages, lazily; whole pages with HCP_FLAG_PAGES. */
static void pagination(void) {
    hcp_client *c = hc_client("");
    int total = hc_new_customers(c, "page", 23);
    int received_before = hc_stat("list_sub_customers", "received");

    hcp_pager *p = NULL;
    hcp_error *err = NULL;
    CHECK(hcp_pager_new(c, "list_sub_customers", "{\"limit\": 10}", 0, &p, &err) == HCP_OK, "pager: %s",
          hc_s(hcp_error_message(err)));
    CHECK(hc_stat("list_sub_customers", "received") == received_before, "nothing sent before the first next");
    int items = 0;
    char *item = NULL;
    while (hcp_pager_next(p, &item, &err) == HCP_OK && item) {
        cJSON *doc = cJSON_Parse(item);
        CHECK(*hc_str(doc, "customer_id"), "an item is a customer: %.100s", item);
        cJSON_Delete(doc);
        hcp_string_free(item);
        items++;
    }
    CHECK(err == NULL, "no error: %s", hc_s(hcp_error_message(err)));
    CHECK(items == total && total >= 25, "%d items of %d", items, total);
    CHECK(hc_stat("list_sub_customers", "received") - received_before == 3, "three pages fetched");
    CHECK(hcp_pager_next(p, &item, NULL) == HCP_OK && item == NULL, "still the end");
    hcp_pager_free(p);

    CHECK(hcp_pager_new(c, "list_sub_customers", "{\"limit\": 10}", HCP_FLAG_PAGES, &p, NULL) == HCP_OK, "pages");
    int sizes[8], pages = 0;
    while (pages < 8 && hcp_pager_next(p, &item, NULL) == HCP_OK && item) {
        cJSON *doc = cJSON_Parse(item);
        sizes[pages++] = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "customer_infos"));
        cJSON_Delete(doc);
        hcp_string_free(item);
    }
    CHECK(pages == 3 && sizes[0] == 10 && sizes[1] == 10 && sizes[2] == total - 20, "%d pages", pages);
    hcp_pager_free(p);

    /* Stopped early, and freed after its client. */
    CHECK(hcp_pager_new(c, "list_sub_customers", "{\"limit\": 2}", 0, &p, NULL) == HCP_OK, "another pager");
    hcp_client_free(c);
    CHECK(hcp_pager_next(p, &item, NULL) == HCP_OK && item != NULL, "the pager outlives its client");
    hcp_string_free(item);
    hcp_pager_free(p);
}

static void operations_and_version(void) {
    size_t n = 0;
    const char *const *names = hcp_operation_names(&n);
    CHECK(n == 109, "%zu operations", n);
    CHECK(names[n] == NULL, "NULL-terminated");
    int has_funding = 0;
    for (size_t i = 0; i < n; i++) {
        has_funding |= strcmp(names[i], "update_customer_account_amount") == 0;
        CHECK(i == 0 || strcmp(names[i - 1], names[i]) < 0, "sorted at %zu", i);
    }
    CHECK(has_funding, "the funding operation is listed");
    CHECK(hcp_operation_names(NULL) == names, "count is optional");
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", HCP_VERSION_MAJOR, HCP_VERSION_MINOR, HCP_VERSION_PATCH);
    CHECK(strcmp(hcp_version(), want) == 0, "%s vs %s", hcp_version(), want);
}

int main(void) {
    static const hc_test tests[] = {
        {"customers_and_realname", customers_and_realname},
        {"accounts_move_exact_money", accounts_move_exact_money},
        {"coupons_indirect_partners_system", coupons_indirect_partners_system},
        {"bills_orders_resources_as_a_customer", bills_orders_resources_as_a_customer},
        {"enterprise_costs_free_resources", enterprise_costs_free_resources},
        {"pricing_products_iam", pricing_products_iam},
        {"pagination", pagination},
        {"operations_and_version", operations_and_version},
    };
    return hc_run(tests, sizeof tests / sizeof tests[0]);
}
