/* hcpartner from C: list every customer of the partner (paginated), read the partner's balance,
 * and show what a refused input looks like. Read-only: it moves no money.
 *
 *   cc partner.c $(pkg-config --cflags --libs hcpartner) -o partner
 *   HCP_OPTIONS='{"site": "intl", "credentials": {"type": "ak_sk", "ak": "...", "sk": "..."}}' ./partner
 *
 * Without HCP_OPTIONS the client uses the default credential chain (HUAWEICLOUD_SDK_AK/_SK, the
 * profile file, the metadata service) on the China site. */
#include <hcpartner.h>
#include <stdio.h>
#include <stdlib.h>

static int fail(const char *what, hcp_error *err) {
    fprintf(stderr, "%s failed: [%d] %s\n", what, (int)hcp_error_code(err), hcp_error_message(err));
    hcp_error_free(err);
    return 1;
}

int main(void) {
    const char *options = getenv("HCP_OPTIONS") ? getenv("HCP_OPTIONS") : "{}";
    hcp_client *client = NULL;
    hcp_error *err = NULL;
    if (hcp_client_new(options, &client, &err) != HCP_OK) return fail("hcp_client_new", err);
    printf("hcpartner %s\n", hcp_version());

    /* Every customer, 100 per request; each item is one JSON object. */
    hcp_pager *pager = NULL;
    if (hcp_pager_new(client, "list_sub_customers", "{\"limit\": 100}", 0, &pager, &err) != HCP_OK)
        return fail("hcp_pager_new", err);
    int customers = 0;
    char *item = NULL;
    while (hcp_pager_next(pager, &item, &err) == HCP_OK && item) {
        if (customers < 3) printf("  %s\n", item);
        customers++;
        hcp_string_free(item);
    }
    hcp_pager_free(pager);
    if (err) return fail("hcp_pager_next", err);
    printf("customers: %d\n", customers);

    /* Money comes back with the service's exact digits (here as strings, for double-based parsers). */
    char *balances = NULL;
    if (hcp_call_flags(client, "list_partner_balances", "{}", HCP_FLAG_DECIMAL_STRINGS, &balances, &err) != HCP_OK)
        return fail("list_partner_balances", err);
    printf("balances: %s\n", balances);
    hcp_string_free(balances);

    /* Bad input is refused before anything is sent, naming the field. */
    if (hcp_call(client, "list_sub_customers", "{\"limit\": 5000}", &balances, &err) == HCP_INVALID_ARGUMENT) {
        printf("refused: field %s: %s\n", hcp_error_field(err), hcp_error_error_msg(err));
        hcp_error_free(err);
    }
    hcp_client_free(client);
    return 0;
}
