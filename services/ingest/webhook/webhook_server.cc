#include "services/ingest/webhook/webhook_server.h"

#include <httplib.h>

#include <charconv>
#include <regex>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "lib/log/log.h"

namespace smsflow::ingest::webhook {
namespace {

// Group 1: tenant, group 2: route.
const std::regex& RouteRegex() {
  static const std::regex kRoute(R"(^/v1/webhooks/twilio/([^/]+)/(sms|status)$)");
  return kRoute;
}

std::string RouteLabel(const std::string& path) {
  std::smatch m;
  if (std::regex_match(path, m, RouteRegex())) return m[2].str();
  return "other";
}

void Write(const WebhookResponse& from, httplib::Response& to) {
  to.status = from.status;
  for (const auto& [k, v] : from.headers) to.set_header(k, v);
  to.set_content(from.body, from.content_type);
}

bool IsLoopbackHost(std::string_view host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]";
}

// "http://127.0.0.1:8101/x" -> true.
bool IsLoopbackUrl(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return false;
  std::string_view host = url.substr(scheme + 3);
  host = host.substr(0, host.find('/'));
  if (!host.empty() && host.front() == '[')
    return IsLoopbackHost(host.substr(0, host.find(']') + 1));
  return IsLoopbackHost(host.substr(0, host.find(':')));
}

}  // namespace

absl::Status ValidateOptions(const WebhookServerOptions& o) {
  const std::string& url = o.public_base_url;
  if (url.empty()) {
    return absl::InvalidArgumentError(
        "webhook-public-url: required (the URL the provider is configured with, e.g. "
        "https://sms.example.com)");
  }
  if (!absl::StartsWith(url, "https://") && !absl::StartsWith(url, "http://")) {
    return absl::InvalidArgumentError(
        absl::StrCat("webhook-public-url: '", url, "' must start with https:// or http://"));
  }
  if (url.find_first_of("?#") != std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("webhook-public-url: '", url, "' must not have a query or fragment"));
  }
  if (o.port < 0 || o.port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("webhook port: ", o.port, " is out of range"));
  }
  if (o.threads < 1) return absl::InvalidArgumentError("webhook threads: must be at least 1");
  if (o.twilio.max_body_bytes == 0) {
    return absl::InvalidArgumentError("webhook-max-body-bytes: must be positive");
  }
  return absl::OkStatus();
}

absl::Status ParseListenAddress(std::string_view address, WebhookServerOptions* options) {
  const size_t colon = address.rfind(':');
  int port = -1;
  if (colon != std::string_view::npos && colon > 0) {
    const std::string_view digits = address.substr(colon + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) port = -1;
  }
  if (port < 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "webhook-address: '", std::string(address),
        "' is not host:port (e.g. 0.0.0.0:8101; port 0 picks a free one; empty disables)"));
  }
  std::string_view host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {  // [::1]:8101
    host = host.substr(1, host.size() - 2);
  }
  options->host = std::string(host);
  options->port = port;
  return absl::OkStatus();
}

WebhookServer::WebhookServer(std::shared_ptr<const config::TenantDirectory> tenants,
                             InboundPipeline& inbound, ReceiptPipeline& receipts,
                             prometheus::Registry& registry, IngestMetrics& ingest_metrics,
                             WebhookServerOptions options)
    : options_(std::move(options)),
      metrics_(registry),
      twilio_(std::move(tenants), inbound, receipts, ingest_metrics, options_.twilio) {}

WebhookServer::~WebhookServer() { Stop(); }

void WebhookServer::Route() {
  server_->new_task_queue = [n = options_.threads] { return new httplib::ThreadPool(n); };
  server_->set_payload_max_length(options_.twilio.max_body_bytes);
  server_->set_read_timeout(options_.read_timeout.count());
  server_->set_write_timeout(options_.write_timeout.count());
  server_->set_keep_alive_timeout(options_.keep_alive_timeout.count());

  // Runs before the body is read: unknown paths and wrong methods are
  // answered without reading (or buffering) what was sent.
  server_->set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!std::regex_match(req.path, RouteRegex())) {
      res.status = 404;
      res.set_content("not found", "text/plain");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.method != "POST") {
      res.status = 405;
      res.set_header("Allow", "POST");
      res.set_content("method not allowed; use POST", "text/plain");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  auto handle = [this](const httplib::Request& req, httplib::Response& res) {
    WebhookRequest in;
    in.tenant = req.matches[1].str();
    // req.target is the raw request target (path and query as sent): the
    // signature covers the URL as the provider wrote it.
    in.url = public_base_url_ + req.target;
    if (req.has_header(std::string(kTwilioSignatureHeader))) {
      in.signature = req.get_header_value(std::string(kTwilioSignatureHeader));
    }
    in.content_type = req.get_header_value("Content-Type");
    in.body = req.body;
    Write(req.matches[2].str() == "sms" ? twilio_.HandleSms(in) : twilio_.HandleStatus(in), res);
  };
  server_->Post(R"(/v1/webhooks/twilio/([^/]+)/(sms|status))", handle);

  // Answers httplib produced itself (413 over the payload limit, 400 for a
  // request it cannot parse) get a short text body.
  server_->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 413) {
      res.set_content("body too large", "text/plain");
    } else {
      res.set_content(absl::StrCat("request rejected (HTTP ", res.status, ")"), "text/plain");
    }
  });
  server_->set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        log::Error("webhook handler failed", {{"route", RouteLabel(req.path)}, {"error", what}});
        res.status = 500;
        res.set_content("internal error", "text/plain");
      });
  server_->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    metrics_.requests.Add({{"route", RouteLabel(req.path)}, {"code", std::to_string(res.status)}})
        .Increment();
  });
}

absl::Status WebhookServer::Start() {
  if (started_) return absl::FailedPreconditionError("webhook server already started");
  if (auto st = ValidateOptions(options_); !st.ok()) return st;
  public_base_url_ = options_.public_base_url;
  while (!public_base_url_.empty() && public_base_url_.back() == '/') public_base_url_.pop_back();

  server_ = std::make_unique<httplib::Server>();
  Route();
  if (options_.port == 0) {
    port_ = server_->bind_to_any_port(options_.host);
    if (port_ <= 0) {
      return absl::UnavailableError(absl::StrCat("webhook: cannot listen on ", options_.host));
    }
  } else {
    if (!server_->bind_to_port(options_.host, options_.port)) {
      return absl::UnavailableError(
          absl::StrCat("webhook: cannot listen on ", options_.host, ":", options_.port));
    }
    port_ = options_.port;
  }
  listener_ = std::thread([this] { server_->listen_after_bind(); });
  // httplib's stop() is a no-op until the accept loop runs, so Start() waits
  // for it; otherwise an early Stop() would leave the listener running.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!server_->is_running()) {
    if (std::chrono::steady_clock::now() > deadline) {
      log::Error("webhook listener did not start", {});
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));  // start-up only
  }
  started_ = true;
  if (IsLoopbackUrl(public_base_url_) && !IsLoopbackHost(options_.host)) {
    // Likely the local default left in place: requests that reach us through
    // another address are signed for another URL and fail with 403.
    log::Warn(
        "webhook-public-url names a loopback address but the listener is reachable "
        "from elsewhere; set it to the URL the provider is configured with",
        {{"public_base_url", public_base_url_}});
  }
  log::Info("webhook listening",
            {{"host", options_.host}, {"port", port_}, {"public_base_url", public_base_url_}});
  return absl::OkStatus();
}

void WebhookServer::Stop() {
  if (!started_) return;
  started_ = false;
  // Closes the listening socket; listen_after_bind() then shuts its thread
  // pool down, which waits for handlers in flight.
  server_->stop();
  if (listener_.joinable()) listener_.join();
  log::Info("webhook stopped", {{"port", port_}});
}

}  // namespace smsflow::ingest::webhook
