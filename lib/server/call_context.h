#pragma once
// Who is calling: the identity a server interceptor attaches to each call, so
// handlers never read credentials or metadata themselves. Handlers ask
// IdentityOf(context) and check tenant access with CheckTenantAccess().
//
// Today's resolver (MetadataIdentityResolver) trusts the `x-smsflow-tenant`
// metadata key, which is right for a cluster-internal network and local runs;
// the authentication issue replaces the resolver, not the handlers.

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/server_interceptor.h>

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace prometheus {
class Registry;
}

namespace smsflow::server {

inline constexpr char kTenantMetadataKey[] = "x-smsflow-tenant";
inline constexpr char kPrincipalMetadataKey[] = "x-smsflow-principal";

struct CallIdentity {
  std::string principal = "anonymous";
  std::string tenant_id;      // the only tenant this caller may act for (if !cross_tenant)
  bool cross_tenant = false;  // operators and internal services may act for any tenant
};

using Metadata = std::multimap<grpc::string_ref, grpc::string_ref>;

// Turns a call's metadata into an identity, or an UNAUTHENTICATED /
// PERMISSION_DENIED status that the handler returns to the caller.
class IdentityResolver {
 public:
  virtual ~IdentityResolver() = default;
  virtual absl::StatusOr<CallIdentity> Resolve(const Metadata& metadata) const = 0;
};

// A caller that names a tenant is confined to it; one that names none is an
// internal caller with cross-tenant access.
class MetadataIdentityResolver : public IdentityResolver {
 public:
  absl::StatusOr<CallIdentity> Resolve(const Metadata& metadata) const override;
};

// The identity attached to this call by the interceptor; UNAUTHENTICATED if
// resolution failed, INTERNAL if no interceptor ran (a wiring bug).
absl::StatusOr<CallIdentity> IdentityOf(const grpc::ServerContextBase* context);

// OK if `identity` may act for `tenant_id`; PERMISSION_DENIED naming both otherwise.
absl::Status CheckTenantAccess(const CallIdentity& identity, std::string_view tenant_id);

// gRPC status for an absl::Status (same numeric codes).
grpc::Status ToGrpc(const absl::Status& status);

// Creates, per call, the interceptor that resolves the identity and records
// smsflow_<service>_grpc_requests_total{method,code} and
// smsflow_<service>_grpc_request_duration_seconds{method}.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeCallInterceptorFactory(
    std::string service, std::shared_ptr<const IdentityResolver> resolver,
    prometheus::Registry& registry);

}  // namespace smsflow::server
