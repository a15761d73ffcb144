/* hcp_sign_request against tests/vectors/signing.json (made with the official huaweicloudsdkcore
 * signer): every added header byte for byte (the rule of core/tests/signing_vectors.rs), headers
 * given as pairs and as an object. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static cJSON *load_vectors(void) {
    const char *path = getenv("HCP_VECTORS");
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    size_t got = fread(text, 1, (size_t)n, f);
    text[got] = 0;
    fclose(f);
    cJSON *doc = cJSON_Parse(text);
    free(text);
    return doc;
}

static const char *str_or_null(const cJSON *v, const char *key) {
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(v, key);
    return cJSON_IsString(x) ? x->valuestring : NULL;
}

/* Signs vector `v` (headers as given: pairs) and compares the added headers; 1 when equal. */
static int signs_like_the_official_sdk(const cJSON *v) {
    const char *name = str_or_null(v, "name");
    hcp_signing_key key = {str_or_null(v, "ak"), str_or_null(v, "sk"), str_or_null(v, "security_token"),
                           str_or_null(v, "domain_id")};
    char *headers = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(v, "headers"));
    const char *body = str_or_null(v, "body");
    char *out = NULL;
    hcp_error *err = NULL;
    hcp_result r = hcp_sign_request(str_or_null(v, "method"), str_or_null(v, "url"), headers, (const uint8_t *)body,
                                    strlen(body), &key, str_or_null(v, "time"), &out, &err);
    free(headers);
    CHECK(r == HCP_OK, "%s: %s", name, hc_s(hcp_error_message(err)));
    hcp_error_free(err);
    if (r != HCP_OK) return 0;
    cJSON *got = cJSON_Parse(out);
    const cJSON *want = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(v, "expected"), "added_headers");
    int same = 1;
    /* Every header we add is one the SDK added, with the same value... */
    const cJSON *h;
    cJSON_ArrayForEach(h, got) {
        const cJSON *theirs = cJSON_GetObjectItem(want, h->string); /* names match case-insensitively */
        int eq = cJSON_IsString(theirs) && strcmp(theirs->valuestring, h->valuestring) == 0;
        CHECK(eq, "%s: we add %s: %s, the official SDK %s", name, h->string, h->valuestring,
              cJSON_IsString(theirs) ? theirs->valuestring : "nothing");
        same &= eq;
    }
    /* ...and every header the SDK added (not merely trimmed, as it does to the caller's) is ours. */
    cJSON_ArrayForEach(h, want) {
        int given = 0;
        const cJSON *pair;
        cJSON_ArrayForEach(pair, cJSON_GetObjectItemCaseSensitive(v, "headers")) {
            given |= strcmp(cJSON_GetArrayItem(pair, 0)->valuestring, h->string) == 0;
        }
        int ours = cJSON_GetObjectItem(got, h->string) != NULL;
        CHECK(given || ours, "%s: the official SDK adds %s, we do not", name, h->string);
        same &= given || ours;
    }
    cJSON_Delete(got);
    hcp_string_free(out);
    return same;
}

static void official_vectors(void) {
    cJSON *doc = load_vectors();
    CHECK(doc != NULL, "tests/vectors/signing.json ($HCP_VECTORS) not readable");
    const cJSON *v;
    int n = 0, ok = 0;
    cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(doc, "vectors")) {
        n++;
        ok += signs_like_the_official_sdk(v);
    }
    CHECK(n >= 40 && ok == n, "%d of %d vectors", ok, n);
    cJSON_Delete(doc);
}

/* The same signature from headers given as an object, and a binary body with a NUL in it. */
static void headers_as_an_object_and_binary_bodies(void) {
    hcp_signing_key key = {"AK", "SK", NULL, "DOMAIN"};
    char *a = NULL, *b = NULL;
    const char *url = "https://bss.myhuaweicloud.com/v2/partners/sub-customers?limit=10&offset=0";
    CHECK(hcp_sign_request("GET", url, "[[\"Content-Type\", \"application/json\"]]", NULL, 0, &key,
                           "20240102T030405Z", &a, NULL) == HCP_OK, "pairs");
    CHECK(hcp_sign_request("GET", url, "{\"Content-Type\": \"application/json\"}", NULL, 0, &key,
                           "20240102T030405Z", &b, NULL) == HCP_OK, "object");
    CHECK(a && b && strcmp(a, b) == 0, "%s vs %s", hc_s(a), hc_s(b));
    CHECK(a && strstr(a, "\"X-Domain-Id\":\"DOMAIN\""), "the domain id is signed: %s", hc_s(a));
    hcp_string_free(a);
    hcp_string_free(b);
    const uint8_t body1[] = {'x', 0, 'y'}, body2[] = {'x', 0, 'z'};
    CHECK(hcp_sign_request("POST", url, "{\"Content-Type\": \"application/octet-stream\"}", body1, 3, &key,
                           "20240102T030405Z", &a, NULL) == HCP_OK, "binary");
    CHECK(hcp_sign_request("POST", url, "{\"Content-Type\": \"application/octet-stream\"}", body2, 3, &key,
                           "20240102T030405Z", &b, NULL) == HCP_OK, "binary");
    CHECK(a && strstr(a, "UNSIGNED-PAYLOAD") && strcmp(a, b) == 0, "a non-JSON body is not hashed: %s", hc_s(a));
    hcp_string_free(a);
    hcp_string_free(b);
    /* Now, without a date: the header carries the current one. */
    CHECK(hcp_sign_request("GET", url, NULL, NULL, 0, &key, NULL, &a, NULL) == HCP_OK, "now");
    CHECK(a && strstr(a, "\"X-Sdk-Date\":\"20") != NULL, "%s", hc_s(a));
    hcp_string_free(a);
}

int main(void) {
    static const hc_test tests[] = {
        {"official_vectors", official_vectors},
        {"headers_as_an_object_and_binary_bodies", headers_as_an_object_and_binary_bodies},
    };
    return hc_run(tests, sizeof tests / sizeof tests[0]);
}
