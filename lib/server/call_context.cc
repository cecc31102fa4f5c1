#include "lib/server/call_context.h"

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <chrono>
#include <mutex>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "lib/metrics/metrics_server.h"

namespace smsflow::server {
namespace {

// Identities of calls in flight, keyed by their context. Entries live from
// the interceptor's POST_RECV_INITIAL_METADATA until the interceptor dies.
class IdentityTable {
 public:
  static IdentityTable& Get() {
    static auto* t = new IdentityTable();
    return *t;
  }
  void Put(const grpc::ServerContextBase* ctx, absl::StatusOr<CallIdentity> id) {
    std::lock_guard lock(mu_);
    table_.insert_or_assign(ctx, std::move(id));
  }
  void Erase(const grpc::ServerContextBase* ctx) {
    std::lock_guard lock(mu_);
    table_.erase(ctx);
  }
  absl::StatusOr<CallIdentity> Find(const grpc::ServerContextBase* ctx) {
    std::lock_guard lock(mu_);
    auto it = table_.find(ctx);
    if (it == table_.end()) return absl::InternalError("no identity attached to this call");
    return it->second;
  }

 private:
  std::mutex mu_;
  std::unordered_map<const grpc::ServerContextBase*, absl::StatusOr<CallIdentity>> table_;
};

struct CallMetrics {
  prometheus::Family<prometheus::Counter>& requests;
  prometheus::Family<prometheus::Histogram>& duration;
};

const char* CodeName(grpc::StatusCode code) {
  static const char* kNames[] = {"OK",
                                 "CANCELLED",
                                 "UNKNOWN",
                                 "INVALID_ARGUMENT",
                                 "DEADLINE_EXCEEDED",
                                 "NOT_FOUND",
                                 "ALREADY_EXISTS",
                                 "PERMISSION_DENIED",
                                 "RESOURCE_EXHAUSTED",
                                 "FAILED_PRECONDITION",
                                 "ABORTED",
                                 "OUT_OF_RANGE",
                                 "UNIMPLEMENTED",
                                 "INTERNAL",
                                 "UNAVAILABLE",
                                 "DATA_LOSS",
                                 "UNAUTHENTICATED"};
  const int c = static_cast<int>(code);
  return c >= 0 && c <= 16 ? kNames[c] : "UNKNOWN";
}

class CallInterceptor : public grpc::experimental::Interceptor {
 public:
  CallInterceptor(grpc::experimental::ServerRpcInfo* info, const IdentityResolver* resolver,
                  CallMetrics* metrics)
      : info_(info),
        resolver_(resolver),
        metrics_(metrics),
        start_(std::chrono::steady_clock::now()) {}
  ~CallInterceptor() override { IdentityTable::Get().Erase(info_->server_context()); }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      IdentityTable::Get().Put(info_->server_context(),
                               resolver_->Resolve(*methods->GetRecvInitialMetadata()));
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const std::string method = info_->method();
      metrics_->requests.Add({{"method", method}, {"code", CodeName(status.error_code())}})
          .Increment();
      const double secs =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      metrics_->duration.Add({{"method", method}}, metrics::LatencyBuckets()).Observe(secs);
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  const IdentityResolver* resolver_;
  CallMetrics* metrics_;
  std::chrono::steady_clock::time_point start_;
};

class CallInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  CallInterceptorFactory(const std::string& service,
                         std::shared_ptr<const IdentityResolver> resolver,
                         prometheus::Registry& registry)
      : resolver_(std::move(resolver)),
        metrics_{prometheus::BuildCounter()
                     .Name(absl::StrCat("smsflow_", service, "_grpc_requests_total"))
                     .Help("gRPC requests handled, by method and status code")
                     .Register(registry),
                 prometheus::BuildHistogram()
                     .Name(absl::StrCat("smsflow_", service, "_grpc_request_duration_seconds"))
                     .Help("gRPC request latency from first metadata to status")
                     .Register(registry)} {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new CallInterceptor(info, resolver_.get(), &metrics_);
  }

 private:
  std::shared_ptr<const IdentityResolver> resolver_;
  CallMetrics metrics_;
};

std::string Str(grpc::string_ref s) { return std::string(s.data(), s.size()); }

}  // namespace

absl::StatusOr<CallIdentity> MetadataIdentityResolver::Resolve(const Metadata& metadata) const {
  CallIdentity id;
  id.cross_tenant = true;
  if (auto it = metadata.find(kPrincipalMetadataKey); it != metadata.end()) {
    id.principal = Str(it->second);
  }
  if (auto it = metadata.find(kTenantMetadataKey); it != metadata.end()) {
    id.tenant_id = Str(it->second);
    if (id.tenant_id.empty()) {
      return absl::UnauthenticatedError(absl::StrCat(kTenantMetadataKey, " metadata is empty"));
    }
    id.cross_tenant = false;
  }
  return id;
}

absl::StatusOr<CallIdentity> IdentityOf(const grpc::ServerContextBase* context) {
  return IdentityTable::Get().Find(context);
}

absl::Status CheckTenantAccess(const CallIdentity& identity, std::string_view tenant_id) {
  if (identity.cross_tenant || identity.tenant_id == tenant_id) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("caller '", identity.principal, "' acts for tenant '", identity.tenant_id,
                   "', not for tenant '", std::string(tenant_id), "'"));
}

grpc::Status ToGrpc(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeCallInterceptorFactory(
    std::string service, std::shared_ptr<const IdentityResolver> resolver,
    prometheus::Registry& registry) {
  return std::make_unique<CallInterceptorFactory>(service, std::move(resolver), registry);
}

}  // namespace smsflow::server
