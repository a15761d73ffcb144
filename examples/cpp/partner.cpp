// hcpartner from C++17 through include/hcpartner.hpp (RAII handles, exceptions): the partner's
// customers from 4 threads sharing one client, and an error caught as hcp::Error. Read-only.
//
//   c++ -std=c++17 partner.cpp $(pkg-config --cflags --libs hcpartner) -o partner
//   HCP_OPTIONS='{"credentials": {"type": "ak_sk", "ak": "...", "sk": "..."}}' ./partner
#include <hcpartner.hpp>

#include <cstdlib>
#include <iostream>
#include <thread>
#include <vector>

int main() {
    const char *env = std::getenv("HCP_OPTIONS");
    try {
        const hcp::Client client(env ? env : "{}");
        std::cout << "operations: " << hcp::operation_names().size() << "\n";

        // One client, many threads: calls run in parallel on one connection pool.
        std::vector<std::string> pages(4);
        std::vector<std::thread> threads;
        for (size_t i = 0; i < pages.size(); i++)
            threads.emplace_back([&, i] { pages[i] = client.call("list_sub_customers", "{\"limit\": 1}"); });
        for (auto &t : threads) t.join();
        std::cout << "first page: " << pages[0] << "\n";

        int customers = 0;
        hcp::Pager pager = client.pager("list_sub_customers", "{\"limit\": 100}");
        while (auto item = pager.next()) customers++;
        std::cout << "customers: " << customers << "\n";

        try {
            client.call("update_customer_account_amount", "{\"customer_id\": \"x\", \"amount\": 0.001}");
        } catch (const hcp::Error &e) {  // refused before sending: at most 2 decimal places
            std::cout << "refused (" << e.code() << "): " << e.field().value_or("?") << ": " << e.error_msg() << "\n";
            // Only an HCP_OUTCOME_UNKNOWN of funding or coupons has a ticket to reconcile.
            try {
                std::cout << client.reconcile(e) << "\n";
            } catch (const hcp::Error &none) {
                std::cout << "nothing to reconcile: " << none.field().value_or("?") << "\n";
            }
        }
    } catch (const hcp::Error &e) {
        std::cerr << "failed: [" << e.code() << "] " << e.what() << "\n";
        return 1;
    }
    return 0;
}
