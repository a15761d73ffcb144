// hcpartner.hpp: a header-only C++17 wrapper over hcpartner.h. Handles are owned by RAII types
// (freed in their destructors, movable, not copyable), strings come back as std::string (the
// library's copies are freed at once), and a failure is thrown as hcp::Error, which keeps the
// library's hcp_error and its getters. Thread-safety is the C library's: one hcp::Client may be
// shared by all threads (const methods only).
#ifndef HCPARTNER_HPP
#define HCPARTNER_HPP

#include <hcpartner.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace hcp {

// A failed call: what() is hcp_error_message; the getters are those of the report.
class Error : public std::runtime_error {
  public:
    explicit Error(hcp_error *e) : std::runtime_error(text(e)), err_(e, hcp_error_free) {}

    hcp_result code() const noexcept { return hcp_error_code(err_.get()); }
    std::string kind() const { return hcp_error_kind(err_.get()); }
    std::string dispatch() const { return hcp_error_dispatch(err_.get()); }
    std::uint16_t status() const noexcept { return hcp_error_status(err_.get()); }
    std::optional<std::string> error_code() const { return opt(hcp_error_error_code(err_.get())); }
    std::string error_msg() const { return hcp_error_error_msg(err_.get()); }
    std::optional<std::string> request_id() const { return opt(hcp_error_request_id(err_.get())); }
    bool retryable() const noexcept { return hcp_error_retryable(err_.get()); }
    std::optional<std::string> field() const { return opt(hcp_error_field(err_.get())); }
    std::optional<std::string> operation() const { return opt(hcp_error_operation(err_.get())); }
    std::optional<std::string> hint() const { return opt(hcp_error_hint(err_.get())); }
    std::uint32_t attempts() const noexcept { return hcp_error_attempts(err_.get()); }
    // What an unknown outcome of a funding, reclaim or coupon call was (JSON): Client::reconcile.
    std::optional<std::string> ticket() const { return opt(hcp_error_ticket(err_.get())); }
    std::string json() const { return hcp_error_json(err_.get()); }

  private:
    static std::string text(const hcp_error *e) {
        const char *m = hcp_error_message(e);
        return m ? m : "hcpartner: error";
    }
    static std::optional<std::string> opt(const char *s) {
        return s ? std::optional<std::string>(s) : std::nullopt;
    }
    // Shared: exceptions are copied when thrown; the report is freed with the last copy.
    std::shared_ptr<hcp_error> err_;
};

namespace detail {
// Throws for a failed result. Every call passes an error slot, so a failure always has one.
// (Called as a separate statement after the call: argument order is unspecified, and `e` must be
// read after the call wrote it.)
inline void check(hcp_result r, hcp_error *e) {
    if (r != HCP_OK) throw Error(e);
}
// The library's string as a std::string, freeing the library's copy.
inline std::string take(char *s) {
    std::unique_ptr<char, decltype(&hcp_string_free)> owned(s, hcp_string_free);
    return std::string(s);
}
}  // namespace detail

// Items (or pages) of a paginated operation; made by Client::pager.
class Pager {
  public:
    explicit Pager(hcp_pager *p) : p_(p, hcp_pager_free) {}
    // The next item as JSON text; std::nullopt at the end.
    std::optional<std::string> next() {
        char *item = nullptr;
        hcp_error *err = nullptr;
        hcp_result r = hcp_pager_next(p_.get(), &item, &err);
        detail::check(r, err);
        if (!item) return std::nullopt;
        return detail::take(item);
    }

  private:
    std::unique_ptr<hcp_pager, decltype(&hcp_pager_free)> p_;
};

// A client: options as in docs/options.md, as JSON text. Share one by all threads.
class Client {
  public:
    explicit Client(const std::string &options_json) : c_(nullptr, hcp_client_free) {
        hcp_client *c = nullptr;
        hcp_error *err = nullptr;
        hcp_result r = hcp_client_new(options_json.c_str(), &c, &err);
        detail::check(r, err);
        c_.reset(c);
    }

    // Any operation by its snake_case name; params and the answer are JSON text.
    std::string call(const std::string &operation, const std::string &params_json = "{}",
                     std::uint32_t flags = 0) const {
        char *out = nullptr;
        hcp_error *err = nullptr;
        hcp_result r = hcp_call_flags(c_.get(), operation.c_str(), params_json.c_str(), flags, &out, &err);
        detail::check(r, err);
        return detail::take(out);
    }

    // flags: HCP_FLAG_PAGES, HCP_FLAG_DECIMAL_STRINGS.
    Pager pager(const std::string &operation, const std::string &params_json = "{}",
                std::uint32_t flags = 0) const {
        hcp_pager *p = nullptr;
        hcp_error *err = nullptr;
        hcp_result r = hcp_pager_new(c_.get(), operation.c_str(), params_json.c_str(), flags, &p, &err);
        detail::check(r, err);
        return Pager(p);
    }

    // Settles an unknown outcome from the service's records: its ticket (Error::ticket) in, the
    // answer ({"verdict": ..., "records": [...]}) out. flags: HCP_FLAG_DECIMAL_STRINGS.
    std::string reconcile(const std::string &ticket_json, std::uint32_t flags = 0) const {
        char *out = nullptr;
        hcp_error *err = nullptr;
        hcp_result r = hcp_reconcile(c_.get(), ticket_json.c_str(), flags, &out, &err);
        detail::check(r, err);
        return detail::take(out);
    }
    // The same from the error (HCP_INVALID_ARGUMENT when it has no ticket).
    std::string reconcile(const Error &e, std::uint32_t flags = 0) const {
        char *out = nullptr;
        hcp_error *err = nullptr;
        std::optional<std::string> ticket = e.ticket();
        hcp_result r = hcp_reconcile(c_.get(), ticket ? ticket->c_str() : nullptr, flags, &out, &err);
        detail::check(r, err);
        return detail::take(out);
    }

  private:
    std::unique_ptr<hcp_client, decltype(&hcp_client_free)> c_;
};

// Every operation name the library knows.
inline std::vector<std::string> operation_names() {
    size_t n = 0;
    const char *const *names = hcp_operation_names(&n);
    return std::vector<std::string>(names, names + n);
}

}  // namespace hcp

#endif  // HCPARTNER_HPP
