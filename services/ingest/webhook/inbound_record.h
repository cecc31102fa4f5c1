#pragma once
// The sms.inbound.v1 record, built the same way for every intake path (gRPC,
// webhook, later SMPP). Pure functions apart from the message id and clock.
//
// Lives here until ingest_service.cc moves to it; then it belongs in
// services/ingest/ next to inbound_validation.h.

#include "lib/config/tenants.h"
#include "lib/kafka/record.h"
#include "services/ingest/inbound_validation.h"
#include "smsflow/v1/inbound.pb.h"

namespace smsflow::ingest {

// A new InboundMessage for a validated message to `number` of `tenant`: a
// fresh smsflow message id, tenant, sender scope, normalised from/to,
// encoding and segments, receive time (now) and `source`. The caller adds
// what only it knows: body, provider and provider_message_id, provider_time,
// num_media and media_urls.
v1::InboundMessage NewInbound(const ValidInbound& valid, const config::Tenant& tenant,
                              const config::Number& number, v1::InboundSource source);

// The record for sms.inbound.v1: keyed "<tenant_id>|<from>" (one
// conversation stays on one partition), value the serialised message, and
// the type header.
kafka::Record MakeInboundRecord(const v1::InboundMessage& msg);

}  // namespace smsflow::ingest
